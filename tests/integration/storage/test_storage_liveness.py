"""Pooled PostgreSQL connections: those that died while idle are replaced
before use (``storage.liveness``), without a check on every checkout, and
those held at once under load are kept for the next burst (``storage.db``)."""

from __future__ import annotations

import contextlib

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


async def _backend_pids_at_once(engine: AsyncEngine, count: int) -> set[int]:
    """The backends of ``count`` connections held at the same time."""
    async with contextlib.AsyncExitStack() as held:
        conns = [await held.enter_async_context(engine.connect()) for _ in range(count)]
        return {int((await c.execute(text("SELECT pg_backend_pid()"))).scalar_one()) for c in conns}


async def test_connections_used_at_once_are_kept_for_the_next_burst(postgres_url: str) -> None:
    """Under load a process holds many connections at once (commands and
    reminder sends): each is kept when returned, so the next burst opens no
    new server backend (with SQLAlchemy's default pool, those past the fifth
    were closed on return and opened anew for every burst)."""
    engine = build_engine(postgres_url)
    try:
        first = await _backend_pids_at_once(engine, 12)
        second = await _backend_pids_at_once(engine, 12)
        assert len(first) == 12
        assert second == first
    finally:
        await engine.dispose()
