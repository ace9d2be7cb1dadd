"""Throw-away PostgreSQL databases for benchmarks.

The admin URL comes from ``BENCH_POSTGRES_URL`` (default: the test server on
127.0.0.1:5432, trust auth, admin database ``test``). Every database made here
is dropped again, even when the benchmark fails.
"""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy.engine import make_url

ADMIN_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)


def dsn(url: str) -> str:
    """A SQLAlchemy URL as asyncpg takes it."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def admin(sql: str) -> None:
    conn = await asyncpg.connect(dsn(ADMIN_URL))
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def server_version() -> str:
    """``15.4 (Debian …)``, or why it could not be read."""
    try:
        conn = await asyncpg.connect(dsn(ADMIN_URL), timeout=5)
    except (OSError, asyncpg.PostgresError) as exc:
        return f"unreachable ({type(exc).__name__})"
    try:
        version: str = await conn.fetchval("SELECT version()")
    finally:
        await conn.close()
    return version.removeprefix("PostgreSQL ").split(" on ", 1)[0]


async def create_database(prefix: str = "meetbridge_bench") -> str:
    """A fresh empty database; returns its SQLAlchemy (asyncpg) URL."""
    name = f"{prefix}_{secrets.token_hex(4)}"
    await admin(f'CREATE DATABASE "{name}"')
    return make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)


async def vacuum_analyze(url: str) -> None:
    """``VACUUM ANALYZE`` of every table of the database at ``url``."""
    conn = await asyncpg.connect(dsn(url))
    try:
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()


async def drop_database(url: str) -> None:
    name = make_url(url).database
    await admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@asynccontextmanager
async def scratch_database(prefix: str = "meetbridge_bench") -> AsyncIterator[str]:
    """A fresh empty database for the ``async with`` block; yields its URL."""
    url = await create_database(prefix)
    try:
        yield url
    finally:
        await drop_database(url)


@contextmanager
def scratch_database_sync(prefix: str = "meetbridge_bench") -> Iterator[str]:
    """``scratch_database`` for code without an event loop."""
    url = asyncio.run(create_database(prefix))
    try:
        yield url
    finally:
        asyncio.run(drop_database(url))
