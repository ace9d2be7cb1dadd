"""Stopping a dispatcher with a send in flight, on SQLite and PostgreSQL: the
send either finishes and is recorded, or is cancelled and its row released
at once, so another dispatcher sends it: exactly once either way."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.reminders import Dispatcher, DispatcherConfig
from bot.chat import ChatRef
from bot.clock import SystemClock
from bot.ports.messenger import Messenger
from bot.reminders.delivery import ActionPerformer, DeliveryPolicy
from bot.reply import Reply
from storage.claims import SqlClaimStore
from storage.models import ScheduledActionRow
from storage.uow import SqlUnitOfWorkFactory
from tests.support.reminders import (
    ConsoleStandIn,
    TopicRecorder,
    core_deps,
    messengers_with,
    seed,
    statuses,
    topic_of,
    utcnow,
)
from tests.support.waiting import until

pytestmark = pytest.mark.timeout(60)


@dataclass
class GatedMessenger(ConsoleStandIn):
    """A chat service that takes a message only once ``gate`` opens."""

    gate: asyncio.Event = field(default_factory=asyncio.Event)
    started: asyncio.Event = field(default_factory=asyncio.Event)
    sent: list[str] = field(default_factory=list)

    async def send(self, chat: ChatRef, reply: Reply) -> None:
        self.started.set()
        await self.gate.wait()
        self.sent.append(topic_of(reply))


def dispatcher(
    sessions: async_sessionmaker[AsyncSession], messenger: Messenger, stop_timeout: float
) -> Dispatcher:
    clock = SystemClock()
    deps = core_deps(SqlUnitOfWorkFactory(sessions, clock=clock), clock)
    performer = ActionPerformer(deps, messengers_with(messenger), DeliveryPolicy())
    config = DispatcherConfig(
        lease=timedelta(minutes=5), sweep_seconds=0.5, stop_timeout=stop_timeout
    )
    return Dispatcher(SqlClaimStore(sessions), performer, clock, config)


async def row(sessions: async_sessionmaker[AsyncSession]) -> ScheduledActionRow:
    async with sessions() as session:
        return (await session.execute(select(ScheduledActionRow))).scalar_one()


async def test_a_send_in_flight_when_stopping_is_finished_and_recorded(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    topics = await seed(session_factory, [utcnow()], now=utcnow())
    messenger = GatedMessenger()
    first = dispatcher(session_factory, messenger, stop_timeout=30)
    await first.start()
    await asyncio.wait_for(messenger.started.wait(), 20)
    stopping = asyncio.create_task(first.stop())
    await until(lambda: first.stopping, within=5, what="the stop to begin")
    assert not stopping.done()  # it waits for the send
    messenger.gate.set()
    await asyncio.wait_for(stopping, 20)
    assert messenger.sent == topics
    assert await statuses(session_factory) == {"sent": 1}


async def test_a_send_still_in_flight_at_the_deadline_is_released_to_another_process(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    topics = await seed(session_factory, [utcnow()], now=utcnow())
    stuck = GatedMessenger()  # never opens
    first = dispatcher(session_factory, stuck, stop_timeout=0.2)
    await first.start()
    await asyncio.wait_for(stuck.started.wait(), 20)
    await asyncio.wait_for(first.stop(), 20)
    held = await row(session_factory)
    assert (held.status, held.lease_owner, held.attempts) == ("pending", None, 0)
    # Released now, not when its 5-minute lease runs out: the next one sends it.
    recorder = TopicRecorder(SystemClock())
    second = dispatcher(session_factory, recorder, stop_timeout=5)
    await second.start()
    try:
        await until(lambda: len(recorder.sent) == 1, within=20, what="the reminder sent")
    finally:
        await second.stop()
    assert [topic for topic, _ in recorder.sent] == topics
    assert stuck.sent == []
    assert await statuses(session_factory) == {"sent": 1}


async def test_a_stop_cut_short_by_the_service_still_releases(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    await seed(session_factory, [utcnow()], now=utcnow())
    stuck = GatedMessenger()
    first = dispatcher(session_factory, stuck, stop_timeout=30)
    await first.start()
    await asyncio.wait_for(stuck.started.wait(), 20)
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(first.stop(), 0.2)  # the shutdown budget ran out
    held = await row(session_factory)
    assert (held.status, held.lease_owner) == ("pending", None)
