"""A dispatcher's renewal and its recording of a finished batch touch the same
rows from two connections at once; on PostgreSQL they must take the rows'
locks in one order, or each can wait for the other (a deadlock: PostgreSQL
aborts one, and a batch not recorded is sent again once its lease runs out)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.ports.ledger import Finished, Status
from storage.claims import SqlClaimStore
from storage.models import ScheduledActionRow
from tests.support.reminders import seed, statuses, utcnow
from tests.support.waiting import until_async

pytestmark = pytest.mark.timeout(60)

LEASE = timedelta(seconds=30)


async def _waiting_on_locks(engine: AsyncEngine) -> int:
    """Sessions of this test's database waiting for a lock."""
    async with engine.connect() as watcher:
        count = await watcher.scalar(
            text(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
        )
    return int(count or 0)


async def test_renewing_while_a_batch_is_recorded_never_deadlocks(
    engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time: no row locks to take in an order")
    now = utcnow()
    store = SqlClaimStore(session_factory)
    await store.register("a", now, now + LEASE)
    await seed(session_factory, [now - timedelta(seconds=2), now - timedelta(seconds=1)], now=now)
    first, second = sorted(await store.claim("a", now, LEASE, 10), key=lambda a: a.id)
    # The batch names the higher id first (statuses group it), the renewal
    # goes up from the lower: the order that deadlocked.
    batch = [
        Finished(second.id, second.meeting_id, Status.SENT),
        Finished(first.id, first.meeting_id, Status.FAILED, "refused"),
    ]

    async with engine.connect() as holder:
        # Another transaction holds the higher row, so both queue up behind it.
        await holder.execute(
            select(ScheduledActionRow.id)
            .where(ScheduledActionRow.id == second.id)
            .with_for_update()
        )
        recording = asyncio.create_task(store.finish_many("a", batch, now))
        await until_async(
            lambda: _waiting_on_locks_at_least(engine, 1), within=20, what="the batch to wait"
        )
        renewing = asyncio.create_task(store.renew("a", [first.id, second.id], now, now + LEASE))
        await until_async(
            lambda: _waiting_on_locks_at_least(engine, 2), within=20, what="the renewal to wait"
        )
        await holder.rollback()

    recorded, renewed = await asyncio.wait_for(
        asyncio.gather(recording, renewing, return_exceptions=True), timeout=30
    )
    assert recorded == 2
    assert renewed == frozenset()  # recorded first: nothing of it is still sending
    assert await statuses(session_factory) == {"failed": 1, "sent": 1}


async def _waiting_on_locks_at_least(engine: AsyncEngine, count: int) -> bool:
    return await _waiting_on_locks(engine) >= count
