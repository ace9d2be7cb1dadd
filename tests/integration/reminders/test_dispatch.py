"""The dispatcher against real SQLite and PostgreSQL, in one process."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.reminders import Dispatcher, DispatcherConfig
from bot.chat import UserRef
from bot.clock import SystemClock
from bot.errors import DeliveryError
from bot.meeting import Meeting
from bot.ports.ledger import ActionKind, PlannedAction, Status
from bot.reminders.delivery import ActionPerformer, DeliveryPolicy
from bot.schedule import Once
from storage.claims import SqlClaimStore
from storage.models import ScheduledActionRow
from storage.uow import SqlUnitOfWorkFactory
from tests.support.reminders import (
    CHAT,
    TopicRecorder,
    core_deps,
    messengers_with,
    seed,
    statuses,
    utcnow,
)
from tests.support.waiting import until

pytestmark = pytest.mark.timeout(60)

LEASE = timedelta(seconds=30)


def dispatcher(
    sessions: async_sessionmaker[AsyncSession],
    recorder: TopicRecorder,
    policy: DeliveryPolicy | None = None,
) -> Dispatcher:
    clock = SystemClock()
    deps = core_deps(SqlUnitOfWorkFactory(sessions, clock=clock), clock)
    performer = ActionPerformer(deps, messengers_with(recorder), policy or DeliveryPolicy())
    config = DispatcherConfig(lease=LEASE, sweep_seconds=0.5)
    return Dispatcher(SqlClaimStore(sessions), performer, clock, config)


async def test_due_reminders_are_sent_once_each(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    now = utcnow()
    fire = [now + timedelta(milliseconds=300 + 10 * n) for n in range(50)]
    topics = await seed(session_factory, fire, now=now)
    recorder = TopicRecorder(SystemClock())
    d = dispatcher(session_factory, recorder)
    await d.start()
    try:
        await until(lambda: len(recorder.sent) >= 50, within=20, what="50 reminders")
    finally:
        await d.stop()
    assert Counter(t for t, _ in recorder.sent) == Counter(topics)
    assert await statuses(session_factory) == {"sent": 50}
    for topic, sent_at in recorder.sent:  # never early
        assert sent_at >= fire[int(topic[1:])]


async def test_claims_are_disjoint_and_an_expired_lease_is_claimable_again(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    now = utcnow()
    await seed(session_factory, [now - timedelta(seconds=1)] * 10, now=now)
    store = SqlClaimStore(session_factory)
    first = await store.claim("a", now, LEASE, 6)
    second = await store.claim("b", now, LEASE, 6)
    assert len(first) == 6
    assert len(second) == 4
    assert not {a.id for a in first} & {a.id for a in second}
    assert await store.claim("c", now, LEASE, 6) == []
    # "a" died: once its lease runs out, its rows go to someone else.
    later = now + LEASE + timedelta(seconds=1)
    taken = await store.claim("c", later, LEASE, 20)
    assert {a.id for a in taken} == {a.id for a in first} | {a.id for a in second}
    assert all(a.attempts == 2 for a in taken)
    # The old holder can no longer record an outcome for them.
    assert await store.finish(first[0].id, "a", Status.SENT, later) is False
    assert await store.finish(first[0].id, "c", Status.SENT, later) is True


async def test_release_on_stop_hands_rows_back(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    now = utcnow()
    await seed(session_factory, [now - timedelta(seconds=1)] * 3, now=now)
    store = SqlClaimStore(session_factory)
    assert len(await store.claim("a", now, LEASE, 10)) == 3
    assert await store.release("a", now) == 3
    assert len(await store.claim("b", now, LEASE, 10)) == 3


async def test_failed_sends_retry_then_fail(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    now = utcnow()
    await seed(session_factory, [now], now=now)

    class Refusing(TopicRecorder):
        async def send(self, chat: object, reply: object) -> None:
            raise DeliveryError("chat service down")

    recorder = Refusing(SystemClock())
    policy = DeliveryPolicy(max_attempts=3, backoff=timedelta(milliseconds=100))
    d = dispatcher(session_factory, recorder, policy)
    await d.start()
    try:
        await until_status(session_factory, "failed", within=20)
    finally:
        await d.stop()
    async with session_factory() as session:
        row = (await session.execute(select(ScheduledActionRow))).scalar_one()
    assert row.attempts == 3
    assert row.last_error == "chat service down"


async def test_overdue_at_start_is_sent_late_or_expired(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    now = utcnow()
    # Due an hour ago, while nothing ran: one meeting still ahead, one begun.
    await seed(session_factory, [now - timedelta(hours=1)] * 2, now=now)
    async with session_factory() as session:
        ids = (await session.execute(select(ScheduledActionRow.id))).scalars().all()
        await session.execute(
            update(ScheduledActionRow)
            .where(ScheduledActionRow.id == min(ids))
            .values(occurrence_start=now + timedelta(minutes=5))
        )
        await session.commit()
    recorder = TopicRecorder(SystemClock())
    d = dispatcher(session_factory, recorder)
    await d.start()
    try:
        await until_status(session_factory, "late", within=20)
        await until_status(session_factory, "expired", within=20)
    finally:
        await d.stop()
    assert len(recorder.sent) == 1


async def until_status(
    sessions: async_sessionmaker[AsyncSession], status: str, *, within: float
) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while status not in await statuses(sessions):
        if loop.time() > deadline:
            raise TimeoutError(f"no row became {status} within {within}s")
        await asyncio.sleep(0.05)


async def test_ledger_rows_commit_with_the_meeting_and_are_never_doubled(
    uow_factory: SqlUnitOfWorkFactory, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    start = utcnow() + timedelta(days=1)
    meeting = Meeting(
        backend="trueconf",
        conference_id="0042",
        chat=CHAT,
        creator=UserRef("console", "local", "helen"),
        topic="Review",
        schedule=Once(start, "UTC"),
        duration=timedelta(hours=1),
        owner_login="helen",
        created_at=utcnow(),
        reminders=(timedelta(minutes=10), timedelta(hours=1)),
    )
    plan = [
        PlannedAction(ActionKind.REMIND, start, offset, CHAT.key) for offset in meeting.reminders
    ]
    async with uow_factory() as uow:
        stored = await uow.meetings.add(meeting)
        assert stored.id is not None
        await uow.ledger.add(stored.id, plan)
        # no commit: the meeting change failed, and its rows go with it
    assert await statuses(session_factory) == {}
    async with uow_factory() as uow:
        stored = await uow.meetings.add(meeting)
        assert stored.id is not None
        assert await uow.ledger.add(stored.id, plan) == 2
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.ledger.add(stored.id, plan) == 0  # planned twice, stored once
        assert await uow.ledger.next_reminder(stored.id) == start - timedelta(hours=1)
        await uow.commit()
    async with session_factory() as session:  # the 1-hour reminder went out
        await session.execute(
            update(ScheduledActionRow)
            .where(ScheduledActionRow.offset_seconds == 3600)
            .values(status="sent")
        )
        await session.commit()
    async with uow_factory() as uow:
        await uow.ledger.replace_pending(stored.id, plan)  # replanned with the same offsets
        await uow.commit()
    assert await statuses(session_factory) == {"sent": 1, "pending": 1}


async def test_the_timer_wakes_the_dispatcher_on_its_own_loop(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    # APScheduler runs a plain function in a worker thread, where waking an
    # asyncio loop is not safe: the next-due and sweep jobs must run on it.
    loop_thread = threading.get_ident()
    woken_on: list[int] = []

    class Watched(Dispatcher):
        def wake(self) -> None:
            woken_on.append(threading.get_ident())
            super().wake()

    clock = SystemClock()
    deps = core_deps(SqlUnitOfWorkFactory(session_factory, clock=clock), clock)
    performer = ActionPerformer(deps, messengers_with(TopicRecorder(clock)), DeliveryPolicy())
    config = DispatcherConfig(lease=LEASE, sweep_seconds=0.2)
    d = Watched(SqlClaimStore(session_factory), performer, clock, config)
    await d.start()
    try:
        d.notified(clock.now() + timedelta(milliseconds=200))  # a next-due job
        await until(lambda: len(woken_on) >= 4, within=20, what="timer wake-ups")
    finally:
        await d.stop()
    assert set(woken_on) == {loop_thread}
