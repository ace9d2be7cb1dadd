"""A PostgreSQL ``DATABASE_URL``'s ``?…`` settings, as asyncpg takes them.

People paste URLs written for psql or psycopg: ``?sslmode=require``,
``?connect_timeout=10``, ``?application_name=…``. SQLAlchemy hands the query
to ``asyncpg.connect`` as keyword strings, and asyncpg knows none of libpq's
names (``TypeError: connect() got an unexpected keyword argument 'sslmode'``,
at the first connection) and no number written as text. Here each setting is
translated to asyncpg's name and type, or refused with a message that names
it, before anything connects.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.dialects.postgresql.asyncpg import PGDialect_asyncpg
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError

from bot.errors import ConfigError
from bot.settings import SESSION_ATTRS, SSL_MODES, Settings

MAX_PORT = 65535
# Read by SQLAlchemy itself (several hosts), left in the URL.
KEPT_IN_URL = frozenset({"host", "port"})
# SQLAlchemy's own, not asyncpg's: left out of a connection made without it.
SQLALCHEMY_ONLY = frozenset({"prepared_statement_cache_size"})
# libpq's certificate files: asyncpg reads them from the environment only.
_CERT_FILES = {
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
}


def _seconds(value: str) -> float:
    number = float(value)
    if not 0 < number < float("inf"):
        raise ValueError(value)
    return number


def _seconds_or_none(value: str) -> float | None:
    """libpq's 0: no limit."""
    return None if float(value) == 0 else _seconds(value)


def _one_of(choices: tuple[str, ...]) -> Callable[[str], str]:
    def read(value: str) -> str:
        if value not in choices:
            raise ValueError(value)
        return value

    return read


def _flag(value: str) -> bool:
    match value.lower():
        case "true" | "1" | "yes" | "on":
            return True
        case "false" | "0" | "no" | "off":
            return False
    raise ValueError(value)


def _count(value: str) -> int:
    number = int(value)
    if number < 0:
        raise ValueError(value)
    return number


def _text(value: str) -> str:
    return value


# The server's TCP keepalives (asyncpg sets none on its side): a client that
# vanished without closing (a node lost, a NAT entry dropped) has its backend,
# and the locks it held, freed in about two minutes, not the kernel's two hours.
KEEPALIVES = {
    "tcp_keepalives_idle": "60",
    "tcp_keepalives_interval": "10",
    "tcp_keepalives_count": "6",
}


@dataclass(frozen=True)
class SessionLimits:
    """What a session of the running bridge may take, in seconds; 0: no
    limit. The server cancels a statement past ``statement_timeout`` (a lock
    wait included) and ends a session idle in a transaction past
    ``idle_in_transaction``, so neither holds a pooled connection, or rows,
    for ever."""

    statement_timeout: float = 0
    idle_in_transaction: float = 0


def limits_of(settings: Settings) -> SessionLimits:
    return SessionLimits(
        statement_timeout=settings.database_statement_timeout,
        idle_in_transaction=settings.database_idle_in_transaction_timeout,
    )


def _ms(seconds: float) -> str:
    """PostgreSQL's milliseconds; a limit below one is one, not 0 (none)."""
    return str(max(1, round(seconds * 1000))) if seconds else "0"


def session_settings(limits: SessionLimits | None) -> dict[str, str]:
    """The server settings sent at connect: keepalives always, the limits
    when given (``None``: the migrations' engine, see ``storage.db``)."""
    settings = dict(KEEPALIVES)
    if limits is not None:
        settings["statement_timeout"] = _ms(limits.statement_timeout)
        settings["idle_in_transaction_session_timeout"] = _ms(limits.idle_in_transaction)
    return settings


# URL name -> (asyncpg's name, how the text is read, what it must be).
_SSL = ("ssl", _one_of(SSL_MODES), "one of " + ", ".join(SSL_MODES))
_TIMEOUT = ("timeout", _seconds_or_none, "a number of seconds, 0 for no limit")
_READERS: dict[str, tuple[str, Callable[[str], Any], str]] = {
    "sslmode": _SSL,
    "ssl": _SSL,
    "connect_timeout": _TIMEOUT,
    "timeout": _TIMEOUT,
    "command_timeout": ("command_timeout", _seconds, "a number of seconds above 0"),
    "target_session_attrs": (
        "target_session_attrs",
        _one_of(SESSION_ATTRS),
        "one of " + ", ".join(SESSION_ATTRS),
    ),
    "direct_tls": ("direct_tls", _flag, "true or false"),
    "krbsrvname": ("krbsrvname", _text, "text"),
    "gsslib": ("gsslib", _one_of(("gssapi", "sspi")), "gssapi or sspi"),
    "statement_cache_size": ("statement_cache_size", _count, "a whole number, 0 or more"),
    "max_cached_statement_lifetime": (
        "max_cached_statement_lifetime",
        _count,
        "a whole number of seconds, 0 or more",
    ),
    "max_cacheable_statement_size": (
        "max_cacheable_statement_size",
        _count,
        "a whole number of bytes, 0 or more",
    ),
    "prepared_statement_cache_size": (
        "prepared_statement_cache_size",
        _count,
        "a whole number, 0 or more",
    ),
    "passfile": ("passfile", _text, "a file"),
    # libpq also takes these in the query (the URL's own parts are the usual place).
    "user": ("user", _text, "text"),
    "dbname": ("database", _text, "text"),
    "database": ("database", _text, "text"),
}


def _one(name: str, value: str | Sequence[str]) -> str:
    if isinstance(value, str):
        return value
    raise ConfigError(f"DATABASE_URL: ?{name}= is given {len(value)} times; give it once")


def connect_args(query: Mapping[str, str | Sequence[str]]) -> dict[str, Any]:
    """asyncpg's keyword arguments for the URL's ``query`` (less
    ``KEPT_IN_URL``); ``ConfigError`` naming the setting for one it cannot
    take. Never quotes a value: a password may have been pasted there."""
    args: dict[str, Any] = {}
    given_by: dict[str, str] = {}  # asyncpg's name -> the URL's
    server_settings: dict[str, str] = {}
    for name, given in query.items():
        if name in KEPT_IN_URL:
            continue
        value = _one(name, given)
        if name == "application_name":  # a server setting, sent at connect
            server_settings[name] = value
            continue
        if name == "password":
            raise ConfigError(
                "DATABASE_URL: ?password= would be shown wherever the URL is; write the "
                "password in the URL's user part (postgresql://user:password@host/db), "
                "where it is kept out of the logs"
            )
        if name in _CERT_FILES:
            raise ConfigError(
                f"DATABASE_URL: ?{name}= is not read from the URL by the bridge's "
                f"PostgreSQL driver: set {_CERT_FILES[name]} in the environment instead"
            )
        reader = _READERS.get(name)
        if reader is None:
            known = ", ".join(sorted({*_READERS, "application_name"}))
            raise ConfigError(
                f"DATABASE_URL: ?{name}= is not a connection setting the bridge knows; "
                f"it takes {known}"
            )
        target, read, meaning = reader
        if target in given_by:
            raise ConfigError(
                f"DATABASE_URL: ?{given_by[target]}= and ?{name}= set the same; give one"
            )
        given_by[target] = name
        try:
            args[target] = read(value)
        except ValueError:
            raise ConfigError(f"DATABASE_URL: ?{name}= must be {meaning}") from None
    if server_settings:
        args["server_settings"] = server_settings
    return args


# What turns the URL into asyncpg's arguments when SQLAlchemy connects.
_ASYNCPG_DIALECT = PGDialect_asyncpg()  # type: ignore[no-untyped-call]  # an untyped __init__


def _port(text: str, where: str) -> None:
    """``where``: what precedes the port as the URL writes it (``?port=``,
    ``?host=db:``), so the message quotes the URL."""
    if not text:  # "host=a:" or "port=,5433": that host's default port
        return
    try:
        number = int(text)
    except ValueError:
        raise ConfigError(
            f"DATABASE_URL: {where}{text} must be a number (several: one per host, comma-separated)"
        ) from None
    if not 1 <= number <= MAX_PORT:
        raise ConfigError(f"DATABASE_URL: {where}{number} is not a TCP port (1 to {MAX_PORT})")


def _listed(url: URL, name: str) -> list[str]:
    """Every value of ``?name=``: given once or repeated, each comma-separated."""
    given = url.query.get(name, ())
    return [
        item
        for value in ((given,) if isinstance(given, str) else given)
        for item in value.split(",")
    ]


def check_hosts(url: URL) -> None:
    """``ConfigError`` for the query's ports (``?port=``, ``?host=h:p``, the
    several-hosts forms SQLAlchemy reads) that are no TCP port, or hosts and
    ports it cannot pair: asyncpg's ``OverflowError`` or SQLAlchemy's
    ``ArgumentError`` at the first connection otherwise."""
    for host in _listed(url, "host"):
        if ":" in host and not host.startswith("["):
            name, _, port = host.rpartition(":")
            _port(port, f"?host={name}:")
    for port in _listed(url, "port"):
        _port(port, "?port=")
    try:  # how SQLAlchemy pairs them when it connects
        _ASYNCPG_DIALECT.create_connect_args(url)  # type: ignore[no-untyped-call]
    except ArgumentError:
        raise ConfigError(
            "DATABASE_URL: its ?host= and ?port= cannot be paired: with several hosts give "
            "each its port, as ?host=h1,h2&port=p1,p2 or as ?host=h1:p1&host=h2:p2"
        ) from None


def split(
    url: URL, *, driver_only: bool = False, limits: SessionLimits | None = None
) -> tuple[URL, dict[str, Any]]:
    """``url`` with only what SQLAlchemy reads of its query left in it, and
    the rest as asyncpg's keyword arguments (``connect_args``), with the
    session's settings (``session_settings``). With
    ``driver_only``, for ``asyncpg.connect`` called directly (the ``LISTEN``
    connection): without SQLAlchemy's own settings."""
    args = connect_args(url.query)
    args["server_settings"] = session_settings(limits) | args.get("server_settings", {})
    if driver_only:
        args = {k: v for k, v in args.items() if k not in SQLALCHEMY_ONLY}
    kept = {k: v for k, v in url.query.items() if k in KEPT_IN_URL}
    return url.set(query=kept), args
