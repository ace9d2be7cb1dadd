"""PostgreSQL sessions of the running bridge: a statement past
DATABASE_STATEMENT_TIMEOUT is cancelled by the server and said so, and the
server's TCP keepalives are on; the engine that migrates sets no limit."""

from __future__ import annotations

import asyncio
import logging

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.settings import Settings
from storage.db import build_engine
from storage.pg_options import SessionLimits, limits_of

pytestmark = pytest.mark.postgres

# Far above the timeouts below: a statement still running then has hung.
DEADLINE_S = 10.0


async def _show(engine: AsyncEngine, name: str) -> str:
    async with engine.connect() as conn:
        return str((await conn.execute(text(f"SHOW {name}"))).scalar_one())


async def test_the_limits_reach_each_session(postgres_url: str) -> None:
    limits = SessionLimits(statement_timeout=1.5, idle_in_transaction=120)
    engine = build_engine(postgres_url, limits=limits)
    try:
        assert await _show(engine, "statement_timeout") == "1500ms"
        assert await _show(engine, "idle_in_transaction_session_timeout") == "2min"
        assert await _show(engine, "tcp_keepalives_idle") == "60"
        assert await _show(engine, "tcp_keepalives_interval") == "10"
        assert await _show(engine, "tcp_keepalives_count") == "6"
    finally:
        await engine.dispose()


async def test_a_statement_past_the_timeout_is_cancelled_and_named(
    postgres_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    engine = build_engine(postgres_url, limits=SessionLimits(statement_timeout=0.05))
    try:
        async with asyncio.timeout(DEADLINE_S), engine.connect() as conn:
            with pytest.raises(DBAPIError, match="statement timeout"):
                await conn.execute(text("SELECT pg_sleep(60)"))
        warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
        assert any("DATABASE_STATEMENT_TIMEOUT (0.05 s)" in line for line in warned), warned
        async with engine.connect() as conn:  # the connection is usable again
            assert (await conn.execute(text("SELECT 1"))).scalar_one() == 1
    finally:
        await engine.dispose()


async def test_without_limits_nothing_is_cut_short(postgres_url: str) -> None:
    """``db upgrade`` and the migrations at start: an index built on a big
    table may take minutes, so their engine sets no timeout."""
    engine = build_engine(postgres_url)
    try:
        assert await _show(engine, "statement_timeout") == "0"
        assert await _show(engine, "idle_in_transaction_session_timeout") == "0"
    finally:
        await engine.dispose()


def test_the_settings_default_to_half_a_minute_and_0_turns_them_off() -> None:
    assert limits_of(Settings()) == SessionLimits(statement_timeout=30, idle_in_transaction=300)
    off = Settings(database_statement_timeout=0, database_idle_in_transaction_timeout=0)
    assert limits_of(off) == SessionLimits(statement_timeout=0, idle_in_transaction=0)
