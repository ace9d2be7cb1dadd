"""Pooled PostgreSQL connections that died while idle are replaced before use
(``storage.liveness``), without a check on every checkout."""

from __future__ import annotations

import asyncpg  # type: ignore[import-untyped]  # no stubs; admin work only
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.db import build_engine

pytestmark = pytest.mark.postgres


def _dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _backend_pid(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return int((await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one())


async def _kill(url: str, pid: int) -> None:
    """What a server restart or a proxy's idle timeout does to one connection."""
    admin = await asyncpg.connect(_dsn(url))
    try:
        assert await admin.fetchval("SELECT pg_terminate_backend($1)", pid)
    finally:
        await admin.close()


async def test_an_idle_connection_killed_by_the_server_is_replaced_unseen(
    postgres_url: str,
) -> None:
    engine = build_engine(postgres_url, check_after_idle=0.0)  # every connection "idle"
    try:
        first = await _backend_pid(engine)
        await _kill(postgres_url, first)
        second = await _backend_pid(engine)  # no error reaches the caller
        assert second != first
    finally:
        await engine.dispose()


async def test_a_connection_used_a_moment_ago_is_not_checked(postgres_url: str) -> None:
    """The counterpart: without the idle check the dead connection is handed
    out and its statement fails; the pool then connects afresh."""
    engine = build_engine(postgres_url, check_after_idle=3600.0)
    try:
        first = await _backend_pid(engine)
        await _kill(postgres_url, first)
        with pytest.raises(DBAPIError):
            await _backend_pid(engine)
        assert await _backend_pid(engine) != first
    finally:
        await engine.dispose()
