"""Retention on SQLite and PostgreSQL: only what is older than the cutoff and
finished goes (processed deliveries, sent/late/expired/failed ledger rows,
audit entries, send windows whose latest send is older), in batches; pending
and in-flight rows stay whatever their age; on PostgreSQL a second process does
not prune at the same time."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from adapters.reminders.retention import Retention
from storage.models import AuditRow, ProcessedDeliveryRow, ScheduledActionRow, SendWindowRow
from storage.retention import prune
from tests.support.reminders import seed

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
CUTOFF = NOW - timedelta(days=90)
OLD = CUTOFF - timedelta(days=1)
NEW = CUTOFF + timedelta(days=1)


async def populate(sessions: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    """Old and new rows of each table; returns the ledger ids by what they are."""
    async with sessions() as session, session.begin():
        await session.execute(
            insert(AuditRow),
            [
                {
                    "at": at,
                    "chat_key": "slack:T1:C1",
                    "user_key": "slack:T1:U1",
                    "command": "new",
                    "outcome": "ok",
                    "detail": "",
                }
                for at in (OLD, OLD, OLD, NEW, NEW)
            ],
        )
        await session.execute(
            insert(ProcessedDeliveryRow),
            [
                {"source": "telegram:1", "delivery_id": str(n), "received_at": at}
                for n, at in enumerate((OLD, OLD, OLD, NEW))
            ],
        )
    fires = [OLD, OLD, OLD, OLD, OLD, NEW]
    await seed(sessions, fires, now=OLD - timedelta(days=1))
    async with sessions() as session, session.begin():
        ids = sorted((await session.execute(select(ScheduledActionRow.id))).scalars())
        statuses = ["sent", "late", "failed", "pending", "sending", "sent"]
        for row_id, status in zip(ids, statuses, strict=True):
            await session.execute(
                update(ScheduledActionRow)
                .where(ScheduledActionRow.id == row_id)
                .values(status=status)
            )
    return dict(zip(["sent", "late", "failed", "pending", "sending", "new"], ids, strict=True))


async def count(sessions: async_sessionmaker[AsyncSession], model: type) -> int:
    async with sessions() as session:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


async def test_only_old_finished_rows_go_in_batches(
    engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    ids = await populate(session_factory)
    pruned = await prune(engine, CUTOFF, batch=2)
    assert pruned.counts == {
        "processed_deliveries": 3,
        "audit_log": 3,
        "scheduled_actions": 3,
        "send_windows": 0,
    }
    assert await count(session_factory, AuditRow) == 2
    assert await count(session_factory, ProcessedDeliveryRow) == 1
    async with session_factory() as session:
        left = set((await session.execute(select(ScheduledActionRow.id))).scalars())
    assert left == {ids["pending"], ids["sending"], ids["new"]}  # never what is not finished
    again = await prune(engine, CUTOFF, batch=2)
    assert again.total == 0


async def test_send_windows_go_once_their_latest_send_is_older_than_the_cutoff(
    engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    old, new = OLD.timestamp(), NEW.timestamp()
    windows = {
        "bot:chat:old": [old - 2, old - 1, old],
        "bot:chat:empty": [],
        "bot:chat:recent": [old, new],  # an old send, then a recent one: still in use
        "bot:chat:new": [new],
        "bot:all": [old - 1, old, new],
    }
    for n in range(5):
        windows[f"bot:chat:old{n}"] = [old - n]
    async with session_factory() as session, session.begin():
        await session.execute(
            insert(SendWindowRow), [{"key": k, "times": t} for k, t in windows.items()]
        )
    pruned = await prune(engine, CUTOFF, batch=3)
    assert pruned.counts["send_windows"] == 7
    async with session_factory() as session:
        left = dict((await session.execute(select(SendWindowRow.key, SendWindowRow.times))).all())
    assert left == {k: windows[k] for k in ("bot:chat:recent", "bot:chat:new", "bot:all")}
    assert (await prune(engine, CUTOFF, batch=3)).total == 0


async def test_one_process_prunes_at_a_time_on_postgresql(
    engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    await populate(session_factory)
    if engine.dialect.name != "postgresql":
        return  # one process per SQLite file: nothing to take turns with
    async with engine.connect() as other:
        await other.execute(text("SELECT pg_advisory_lock(:key)"), {"key": 0x70727565})
        try:
            pruned = await prune(engine, CUTOFF, batch=2)
        finally:
            await other.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": 0x70727565})
    assert not pruned.ran
    assert await count(session_factory, AuditRow) == 5  # untouched


class Clock:
    def now(self) -> datetime:
        return NOW


async def test_a_round_prunes_before_the_cutoff_and_counts_by_table() -> None:
    cutoffs: list[datetime] = []
    counted: list[tuple[str, int]] = []

    async def fake_prune(cutoff: datetime) -> dict[str, int]:
        cutoffs.append(cutoff)
        return {"audit_log": 4, "processed_deliveries": 0}

    retention = Retention(
        fake_prune, Clock(), days=30, on_pruned=lambda t, c: counted.append((t, c))
    )
    assert await retention.round() == {"audit_log": 4, "processed_deliveries": 0}
    assert cutoffs == [NOW - timedelta(days=30)]
    assert counted == [("audit_log", 4)]


async def test_the_round_runs_in_the_background_unless_days_is_zero() -> None:
    for days, expected_rounds in ((1, True), (0, False)):
        cutoffs: list[datetime] = []

        async def fake_prune(cutoff: datetime, seen: list[datetime] = cutoffs) -> dict[str, int]:
            seen.append(cutoff)
            return {}

        async def no_wait(_seconds: float) -> None:
            await asyncio.sleep(0)

        retention = Retention(fake_prune, Clock(), days=days, sleep=no_wait)
        retention.start()
        for _ in range(20):  # let the background task take its turns
            await asyncio.sleep(0)
        await retention.stop()
        assert bool(cutoffs) is expected_rounds, days
