"""Real databases for tests: a SQLite file and a PostgreSQL database (a pytest plugin).

``database_url`` is parametrised over both; every test gets an empty, isolated
database. PostgreSQL: one throw-away database per test session (dropped at the
end), its ``public`` schema recreated before each test, which is much faster
than a database per test. The admin URL comes from ``TEST_POSTGRES_URL``.
Without a reachable server the postgres cases are skipped, or fail when ``CI``
is set, so CI never goes green by silently testing SQLite alone.
"""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import asyncpg  # type: ignore[import-untyped]  # no stubs; admin work only
import pytest
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.clock import FrozenClock
from storage.db import build_engine, build_session_factory
from storage.migrate import upgrade
from storage.uow import SqlUnitOfWorkFactory
from tests.support.ci import under_ci

DEFAULT_POSTGRES_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
CONNECT_TIMEOUT_S = 5.0


def _admin_url() -> URL:
    return make_url(os.environ.get("TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL))


def _dsn(url: URL) -> str:
    """asyncpg takes plain ``postgresql://`` DSNs."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


async def _admin_execute(url: URL, *statements: str) -> None:
    conn = await asyncpg.connect(_dsn(url), timeout=CONNECT_TIMEOUT_S)
    try:
        for statement in statements:
            await conn.execute(statement)
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """URL of a throw-away PostgreSQL database that lives for the test session."""
    admin = _admin_url()
    where = f"{admin.host or 'localhost'}:{admin.port or 5432}"
    try:
        asyncio.run(_admin_execute(admin, "SELECT 1"))
    except (OSError, TimeoutError, asyncpg.PostgresError) as exc:
        reason = f"PostgreSQL was not reachable at {where} ({type(exc).__name__}: {exc})"
        if under_ci():
            pytest.fail(f"{reason}; CI is set, so the postgres tests must run", pytrace=False)
        pytest.skip(f"{reason}; set TEST_POSTGRES_URL to run the postgres tests")
    name = f"meetbridge_test_{secrets.token_hex(6)}"
    asyncio.run(_admin_execute(admin, f'CREATE DATABASE "{name}"'))
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        asyncio.run(_admin_execute(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(
    params=[
        pytest.param("sqlite"),
        pytest.param("postgres", marks=pytest.mark.postgres),
    ]
)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database, SQLite file or PostgreSQL, as an async SQLAlchemy URL."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'meetbridge.db'}"
    # Resolved lazily, so SQLite-only runs never touch PostgreSQL.
    url: str = request.getfixturevalue("postgres_url")
    # Drop whatever the previous test left, alembic_version included. A sync
    # fixture on purpose: no event loop is running here for asyncio.run.
    asyncio.run(
        _admin_execute(
            make_url(url), "DROP SCHEMA IF EXISTS public CASCADE", "CREATE SCHEMA public"
        )
    )
    return url


@pytest.fixture
async def migrated_url(database_url: str) -> str:
    """``database_url`` upgraded to the newest migration."""
    await upgrade(database_url)
    return database_url


@pytest.fixture
async def engine(migrated_url: str) -> AsyncIterator[AsyncEngine]:
    engine = build_engine(migrated_url)
    try:
        yield engine
    finally:
        await engine.dispose()


@pytest.fixture
def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return build_session_factory(engine)


@pytest.fixture
def clock() -> FrozenClock:
    # A Monday morning, outside any DST change in the zones the tests use.
    return FrozenClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))


@pytest.fixture
def uow_factory(
    session_factory: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> SqlUnitOfWorkFactory:
    """Units of work over a freshly migrated database, timed by ``clock``."""
    return SqlUnitOfWorkFactory(session_factory, clock=clock)
