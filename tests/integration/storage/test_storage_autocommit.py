"""Units of work without a transaction (``uow(transaction=False)``): on
PostgreSQL each statement is its own transaction, with no BEGIN or COMMIT
round trips around it; SQLite keeps its transactions (they cost no round
trip), begun deferred, while the others take the write lock as they begin."""

from __future__ import annotations

import sqlite3
from datetime import datetime

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.chat import ChatRef
from bot.ports import ChatSettings
from storage.db import autocommit_sessions, is_sqlite
from storage.uow import SqlUnitOfWorkFactory


async def _two_transaction_times(sessions: async_sessionmaker[AsyncSession]) -> set[datetime]:
    """``now()`` is the start of the current transaction: one value within
    one transaction, two when each statement is its own."""
    async with sessions() as session:
        first = (await session.execute(text("SELECT now()"))).scalar_one()
        second = (await session.execute(text("SELECT now()"))).scalar_one()
    return {first, second}


async def test_statements_stand_alone_on_postgresql_only(
    engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    alone = autocommit_sessions(session_factory)
    if is_sqlite(engine.url):
        return  # see test_sqlite_transactions_take_the_write_lock_unless_they_only_read
    assert len(await _two_transaction_times(session_factory)) == 1
    assert len(await _two_transaction_times(alone)) == 2


async def test_a_committed_write_is_stored(uow_factory: SqlUnitOfWorkFactory) -> None:
    chat = ChatRef("slack", "T1", "C1")
    async with uow_factory(transaction=False) as uow:
        await uow.chat_settings.save(chat, ChatSettings(zone="Europe/Paris"))
        await uow.commit()
    async with uow_factory(transaction=False) as uow:
        assert await uow.chat_settings.get(chat) == ChatSettings(zone="Europe/Paris")


def _another_writer_may_begin(path: str) -> bool:
    """Whether a second connection gets the write lock at once."""
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    except sqlite3.OperationalError as exc:
        if "locked" not in str(exc):
            raise
        return False
    else:
        return True
    finally:
        other.close()


async def test_sqlite_transactions_take_the_write_lock_unless_they_only_read(
    engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    """A transaction that reads and then writes must hold the write lock from
    its BEGIN (begun as a reader it could not upgrade once another process
    had written); the units that only read begin deferred and lock nothing."""
    if not is_sqlite(engine.url):
        pytest.skip("SQLite's BEGIN IMMEDIATE")
    path = str(engine.url.database)
    async with session_factory() as session:
        await session.execute(text("SELECT 1 FROM meetings LIMIT 1"))
        assert not _another_writer_may_begin(path)
    assert _another_writer_may_begin(path)
    async with autocommit_sessions(session_factory)() as session:
        await session.execute(text("SELECT 1 FROM meetings LIMIT 1"))
        assert _another_writer_may_begin(path)
