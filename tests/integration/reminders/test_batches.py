"""A claim's rows carried out as one batch (their meetings read together,
their outcomes recorded together) on real SQLite and PostgreSQL: each row once
with three dispatchers of their own engines, one row's failure its own, a
holder's death mid-batch taken over after the lease, and each chat's
reminders sent in their order."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.reminders import Dispatcher, DispatcherConfig
from bot.chat import ChatRef
from bot.clock import Clock, SystemClock
from bot.errors import DeliveryError
from bot.ports.messenger import Messenger
from bot.reminders.delivery import ActionPerformer, DeliveryPolicy
from bot.reply import Reply
from storage.claims import SqlClaimStore
from storage.db import build_engine, build_session_factory
from storage.models import MeetingRow, ScheduledActionRow
from storage.uow import SqlUnitOfWorkFactory
from tests.support.reminders import (
    TopicRecorder,
    core_deps,
    messengers_with,
    seed,
    statuses,
    topic_of,
    utcnow,
)
from tests.support.waiting import until, until_async

pytestmark = pytest.mark.timeout(90)

LEASE = timedelta(seconds=10)
CHATS = [ChatRef("console", "local", f"room{n}") for n in range(5)]


def dispatcher(
    sessions: async_sessionmaker[AsyncSession],
    messenger: Messenger,
    *,
    clock: Clock | None = None,
    policy: DeliveryPolicy | None = None,
    store: SqlClaimStore | None = None,
    concurrency: int = 8,
    fresh_seconds: float = 1.0,
) -> Dispatcher:
    clock = clock or SystemClock()
    deps = core_deps(SqlUnitOfWorkFactory(sessions, clock=clock), clock)
    performer = ActionPerformer(deps, messengers_with(messenger), policy or DeliveryPolicy())
    config = DispatcherConfig(
        lease=LEASE,
        sweep_seconds=0.5,
        batch=40,
        concurrency=concurrency,
        fresh_seconds=fresh_seconds,
    )
    return Dispatcher(store or SqlClaimStore(sessions), performer, clock, config)


async def test_three_dispatchers_with_their_own_engines_send_each_row_once(
    migrated_url: str, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    now = utcnow()
    # A backlog (claims come full) and rows coming due while they run.
    fire = [now - timedelta(seconds=1)] * 200 + [
        now + timedelta(milliseconds=5 * n) for n in range(100)
    ]
    topics = await seed(session_factory, fire, now=now, chats=CHATS)
    engines = [build_engine(migrated_url) for _ in range(3)]
    recorders = [TopicRecorder(SystemClock()) for _ in engines]
    dispatchers = [
        dispatcher(build_session_factory(engine), recorder)
        for engine, recorder in zip(engines, recorders, strict=True)
    ]
    try:
        for d in dispatchers:
            await d.start()
        await until(
            lambda: sum(len(r.sent) for r in recorders) >= len(topics),
            within=60,
            what="every reminder sent",
        )
    finally:
        for d in dispatchers:
            await d.stop()
        for engine in engines:
            await engine.dispose()
    sent = Counter(topic for r in recorders for topic, _ in r.sent)
    assert sent == Counter(topics)  # each once
    assert await statuses(session_factory) == {"sent": len(topics)}


@dataclass
class Choosy(TopicRecorder):
    """Refuses one chat for good, and one reminder's first attempt."""

    refused: ChatRef = CHATS[1]
    flaky: str = "r7"
    tried: Counter[str] = field(default_factory=Counter)

    async def send(self, chat: ChatRef, reply: Reply) -> None:
        topic = topic_of(reply)
        self.tried[topic] += 1
        if chat == self.refused:
            raise DeliveryError("this chat is gone", permanent=True)
        if topic == self.flaky and self.tried[topic] == 1:
            raise DeliveryError("busy, try again")
        await super().send(chat, reply)


async def test_a_row_failing_in_a_batch_fails_alone(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    now = utcnow()
    topics = await seed(session_factory, [now - timedelta(seconds=1)] * 30, now=now, chats=CHATS)
    messenger = Choosy(SystemClock())
    policy = DeliveryPolicy(backoff=timedelta(milliseconds=50))
    d = dispatcher(session_factory, messenger, policy=policy)
    refused = {t for n, t in enumerate(topics) if CHATS[n % len(CHATS)] == messenger.refused}
    await d.start()
    try:
        await until_async(
            lambda: _settled(session_factory, len(topics)), within=30, what="every row settled"
        )
    finally:
        await d.stop()
    sent = Counter(topic for topic, _ in messenger.sent)
    assert sent == Counter(t for t in topics if t not in refused)  # r7 too, on its retry
    assert messenger.tried["r7"] == 2
    assert all(messenger.tried[t] == 1 for t in refused)  # permanent: not tried again
    assert await statuses(session_factory) == {"sent": 24, "failed": 6}


async def _settled(sessions: async_sessionmaker[AsyncSession], count: int) -> bool:
    found = await statuses(sessions)
    return found.get("sent", 0) + found.get("failed", 0) == count


@dataclass
class Halting(TopicRecorder):
    """Sends the first ``sends`` reminders; then takes each and never answers."""

    sends: int = 10
    taken: list[str] = field(default_factory=list)

    async def send(self, chat: ChatRef, reply: Reply) -> None:
        if len(self.sent) >= self.sends:
            self.taken.append(topic_of(reply))
            await asyncio.Event().wait()
        await super().send(chat, reply)


class Dying(SqlClaimStore):
    """A holder that dies: it hands nothing back when it ends."""

    async def release(self, owner: str, now: datetime) -> int:
        return 0


@dataclass
class Ahead:
    """The system clock, ``by`` ahead: the dead holder's leases have run out."""

    by: timedelta

    def now(self) -> datetime:
        return SystemClock().now() + self.by


async def test_rows_of_a_holder_dead_mid_batch_are_taken_over_after_the_lease(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    now = utcnow()
    topics = await seed(session_factory, [now - timedelta(seconds=1)] * 30, now=now, chats=CHATS)
    halting = Halting(SystemClock())
    # Room for every row at once: the whole ledger is one claim.
    first = dispatcher(session_factory, halting, store=Dying(session_factory), concurrency=32)
    await first.start()
    try:
        await until(lambda: len(halting.taken) >= 20, within=20, what="the sends in flight")
        await until_async(
            lambda: _count(session_factory, "sent", 10), within=20, what="10 recorded"
        )
    finally:
        await first.stop()  # cancels the sends in flight; hands nothing back
    held = await _rows(session_factory, "sending")
    assert len(held) == 20
    early = TopicRecorder(SystemClock())
    second = dispatcher(session_factory, early)
    await second.start()  # within the lease: nothing to take
    await second.stop()
    assert early.sent == []
    late = TopicRecorder(SystemClock())
    third = dispatcher(session_factory, late, clock=Ahead(LEASE + timedelta(seconds=1)))
    await third.start()
    try:
        await until(lambda: len(late.sent) >= 20, within=30, what="the dead holder's rows")
    finally:
        await third.stop()
    sent = Counter(t for t, _ in halting.sent) + Counter(t for t, _ in late.sent)
    assert sent == Counter(topics)  # each once: none of the recorded ten again
    assert {t for t, _ in late.sent} >= set(halting.taken)
    assert await statuses(session_factory) == {"sent": 30}
    assert {row.attempts for row in await _rows(session_factory, "sent", late=True)} == {2}


async def _count(sessions: async_sessionmaker[AsyncSession], status: str, count: int) -> bool:
    return (await statuses(sessions)).get(status, 0) >= count


async def _rows(
    sessions: async_sessionmaker[AsyncSession], status: str, *, late: bool = False
) -> list[ScheduledActionRow]:
    """Rows of ``status``; ``late``: only those tried more than once."""
    query = select(ScheduledActionRow).where(ScheduledActionRow.status == status)
    if late:
        query = query.where(ScheduledActionRow.attempts > 1)
    async with sessions() as session:
        return list((await session.scalars(query)).all())


async def test_each_chat_hears_its_reminders_in_their_order(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    now = utcnow()
    # A backlog of several claims, fire times interleaved across the chats.
    fire = [now - timedelta(seconds=60) + timedelta(milliseconds=10 * n) for n in range(150)]
    topics = await seed(session_factory, fire, now=now, chats=CHATS)
    recorder = Chatty(SystemClock())
    d = dispatcher(session_factory, recorder)
    await d.start()
    try:
        await until(lambda: len(recorder.sent) >= len(topics), within=30, what="every reminder")
    finally:
        await d.stop()
    for chat in CHATS:
        heard = [int(topic[1:]) for topic in recorder.by_chat[chat]]
        assert heard == sorted(heard), chat
        assert len(heard) == len(topics) // len(CHATS)


@dataclass
class Chatty(TopicRecorder):
    """Keeps each chat's reminders in the order they were sent."""

    by_chat: dict[ChatRef, list[str]] = field(default_factory=dict)

    async def send(self, chat: ChatRef, reply: Reply) -> None:
        self.by_chat.setdefault(chat, []).append(topic_of(reply))
        await super().send(chat, reply)


@dataclass
class Gated(TopicRecorder):
    """Takes a message only once ``gate`` opens."""

    gate: asyncio.Event = field(default_factory=asyncio.Event)
    waiting: asyncio.Event = field(default_factory=asyncio.Event)

    async def send(self, chat: ChatRef, reply: Reply) -> None:
        self.waiting.set()
        await self.gate.wait()
        await super().send(chat, reply)


async def test_a_row_that_waited_for_a_slot_reads_its_meeting_again(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    now = utcnow()
    topics = await seed(session_factory, [now - timedelta(seconds=1)] * 2, now=now)
    messenger = Gated(SystemClock())
    # One send at a time, and any wait for it counts as long.
    d = dispatcher(session_factory, messenger, concurrency=1, fresh_seconds=0.0)
    await d.start()
    try:
        await asyncio.wait_for(messenger.waiting.wait(), 20)  # r0 sending, r1 read and waiting
        async with session_factory() as session:
            await session.execute(
                update(MeetingRow).where(MeetingRow.topic == "r1").values(status="cancelled")
            )
            await session.commit()
        messenger.gate.set()
        await until_async(
            lambda: _settled_as(session_factory, {"sent": 1, "expired": 1}),
            within=20,
            what="both rows settled",
        )
    finally:
        await d.stop()
    assert [t for t, _ in messenger.sent] == topics[:1]  # not the cancelled meeting's


async def _settled_as(sessions: async_sessionmaker[AsyncSession], want: dict[str, int]) -> bool:
    return await statuses(sessions) == want
