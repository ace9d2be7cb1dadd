"""Engines and session factories built from a ``DATABASE_URL``.

Accepts the async forms (``sqlite+aiosqlite:///…``, ``postgresql+asyncpg://…``)
and the plain ones people paste from elsewhere (``sqlite:///…``,
``postgresql://…``, ``postgres://…``), normalising them to the async drivers.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, ExceptionContext, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry

from bot.errors import ConfigError
from storage import pg_options
from storage.liveness import CHECK_AFTER_IDLE_SECONDS, check_idle_connections

log = logging.getLogger(__name__)

# Backend name -> the only async driver we ship and test.
_ASYNC_DRIVERS = {"sqlite": "aiosqlite", "postgresql": "asyncpg"}
_BACKEND_ALIASES = {"postgres": "postgresql"}

SQLITE_BUSY_TIMEOUT_MS = 5000
MAX_PORT = pg_options.MAX_PORT
PORT_UNREADABLE = (
    "DATABASE_URL: its host:port cannot be read: the port must be a number, an IPv6 "
    "address goes in [ ], several hosts go in ?host=h1:5432&host=h2:5432"
)
# How a SQLite transaction begins, as an execution option: "IMMEDIATE" (the
# default) takes the write lock at BEGIN, waiting up to the busy timeout for
# it; "DEFERRED" takes none until a write, for units of work that only read.
SQLITE_BEGIN = "sqlite_begin"


def normalize_url(database_url: str) -> URL:
    """Parse ``database_url`` and switch it to the async driver of its backend.

    Raises ``ConfigError`` for an unparsable URL, an unknown backend or a
    sync-only driver. The message never contains the password.
    """
    try:
        url = make_url(database_url.strip())
    except ArgumentError:
        raise ConfigError("DATABASE_URL is not a valid database URL") from None
    except ValueError:  # SQLAlchemy's int() of the port, which it does not wrap
        raise ConfigError(PORT_UNREADABLE) from None
    backend, _, driver = url.drivername.partition("+")
    backend = _BACKEND_ALIASES.get(backend, backend)
    wanted = _ASYNC_DRIVERS.get(backend)
    if wanted is None:
        raise ConfigError(
            f"DATABASE_URL: unsupported database {backend!r}; use sqlite:/// or postgresql://"
        )
    if driver and driver != wanted:
        raise ConfigError(
            f"DATABASE_URL: driver {driver!r} is not supported for {backend}; "
            f"use {backend}+{wanted}:// (or plain {backend}://)"
        )
    if "@" in (url.host or "") or "@" in (url.username or ""):
        # Read so, part of the password is taken for the host, which errors show.
        raise ConfigError(
            "DATABASE_URL: an '@' in its user or password must be percent-encoded: write it as %40"
        )
    # The driver would only say so when it connects, in its own words.
    if url.port is not None and not 1 <= url.port <= MAX_PORT:
        raise ConfigError(f"DATABASE_URL: port {url.port} is not a TCP port (1 to {MAX_PORT})")
    if backend == "postgresql":
        # Refused here, not at the first connection.
        pg_options.connect_args(url.query)
        pg_options.check_hosts(url)
    return url.set(drivername=f"{backend}+{wanted}")


def is_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite"


def _is_sqlite_memory(url: URL) -> bool:
    return url.database in (None, "", ":memory:")


# A process's connections to PostgreSQL: at most 15 (SQLAlchemy's default of
# 5 kept plus 10 overflow), all of them kept once opened. With the default,
# every connection past the fifth was closed on its return, and under load
# (eight commands and the reminder sends at once) each command opened one
# anew: a new server backend, a connection handshake and every statement
# prepared again, about a tenth of the work process's CPU.
POSTGRES_POOL: dict[str, Any] = {"pool_size": 15, "max_overflow": 0}


def build_engine(
    database_url: str,
    *,
    echo: bool = False,
    check_after_idle: float = CHECK_AFTER_IDLE_SECONDS,
    limits: pg_options.SessionLimits | None = None,
) -> AsyncEngine:
    """An async engine for ``database_url``. The caller owns it and must
    ``await engine.dispose()`` when done. ``limits``: the running bridge's
    PostgreSQL session limits; without them (migrations, admin commands) a
    statement may run as long as it needs."""
    url = normalize_url(database_url)
    kwargs: dict[str, Any] = {"echo": echo}
    if is_sqlite(url) and not _is_sqlite_memory(url):
        # A fresh install points at e.g. var/meetbridge.db: create var/ for it.
        Path(str(url.database)).expanduser().parent.mkdir(parents=True, exist_ok=True)
    if not is_sqlite(url):
        kwargs |= POSTGRES_POOL
        # libpq's names (sslmode=…) as asyncpg's, its numbers as numbers.
        url, kwargs["connect_args"] = pg_options.split(url, limits=limits)
    engine = create_async_engine(url, **kwargs)
    if is_sqlite(url):
        _install_sqlite_hooks(engine, wal=not _is_sqlite_memory(url))
    else:
        # Connections die behind proxies and on server restarts: check the idle ones.
        check_idle_connections(engine.sync_engine, after_idle=check_after_idle)
        if limits is not None and limits.statement_timeout:
            _name_statement_timeouts(engine, limits.statement_timeout)
    return engine


# PostgreSQL's SQLSTATE for a statement cancelled (by its timeout or by hand).
_QUERY_CANCELED = "57014"


def _name_statement_timeouts(engine: AsyncEngine, seconds: float) -> None:
    """Log, naming the setting, a statement the server cancelled at
    DATABASE_STATEMENT_TIMEOUT: the driver's own words name no setting."""

    @event.listens_for(engine.sync_engine, "handle_error")
    def _on_error(context: ExceptionContext) -> None:
        cause = context.original_exception
        cause = getattr(cause, "__cause__", None) or cause  # SQLAlchemy's adapter wraps asyncpg's
        if getattr(cause, "sqlstate", None) == _QUERY_CANCELED and "statement timeout" in str(
            cause
        ):
            log.warning(
                "a database statement ran past DATABASE_STATEMENT_TIMEOUT (%g s) and was "
                "cancelled: %.200s",
                seconds,
                context.statement or "",
            )


def _install_sqlite_hooks(engine: AsyncEngine, *, wal: bool) -> None:
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        # Let SQLAlchemy emit BEGIN itself (see _on_begin): the sqlite3 driver's
        # legacy mode skips BEGIN before SELECT/DDL, which breaks transactional
        # DDL in migrations and repeatable reads.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys=ON")  # off by default in SQLite
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            if wal:
                # Readers don't block the writer; several processes can share the file.
                cursor.execute("PRAGMA journal_mode=WAL")
        finally:
            cursor.close()

    @event.listens_for(sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # A deferred transaction that reads and then writes cannot become the
        # writer once another connection has committed since its read: SQLite
        # answers "database is locked" at once, without waiting. Transactions
        # take the write lock up front instead (readers are not blocked: WAL).
        mode = connection.get_execution_options().get(SQLITE_BEGIN, "IMMEDIATE")
        connection.exec_driver_sql("BEGIN DEFERRED" if mode == "DEFERRED" else "BEGIN IMMEDIATE")


def autocommit_sessions(
    sessions: async_sessionmaker[AsyncSession],
) -> async_sessionmaker[AsyncSession]:
    """Sessions like ``sessions`` whose statements commit on their own, for
    units of work that need no transaction. On PostgreSQL a transaction
    costs two round trips (BEGIN, then COMMIT or ROLLBACK) and, around a
    single statement, adds nothing: it is as atomic alone, and under READ
    COMMITTED sees the same snapshot. SQLite runs in the process and keeps its transactions
    (its BEGIN is ours, see ``_install_sqlite_hooks``), deferred: these units
    only read, or write once with nothing read before, so they never need the
    write lock early, and must not hold it across the calls to other servers
    some of them make between their reads."""
    bind = sessions.kw.get("bind")
    if not isinstance(bind, AsyncEngine):
        return sessions
    options = {key: value for key, value in sessions.kw.items() if key != "bind"}
    if is_sqlite(bind.url):
        return async_sessionmaker(bind.execution_options(**{SQLITE_BEGIN: "DEFERRED"}), **options)
    return async_sessionmaker(bind.execution_options(isolation_level="AUTOCOMMIT"), **options)


def build_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions whose objects stay readable after commit (we map them to
    dataclasses anyway, and lazy loads are not allowed in async code)."""
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
