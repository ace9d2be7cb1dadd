"""Units of work without a transaction (``uow(transaction=False)``): on
PostgreSQL each statement is its own transaction, with no BEGIN or COMMIT
round trips around it; SQLite keeps its transactions (they cost no round trip)."""

from __future__ import annotations

from datetime import datetime

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
        assert alone is session_factory
        return
    assert len(await _two_transaction_times(session_factory)) == 1
    assert len(await _two_transaction_times(alone)) == 2


async def test_a_committed_write_is_stored(uow_factory: SqlUnitOfWorkFactory) -> None:
    chat = ChatRef("slack", "T1", "C1")
    async with uow_factory(transaction=False) as uow:
        await uow.chat_settings.save(chat, ChatSettings(zone="Europe/Paris"))
        await uow.commit()
    async with uow_factory(transaction=False) as uow:
        assert await uow.chat_settings.get(chat) == ChatSettings(zone="Europe/Paris")
