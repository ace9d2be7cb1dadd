"""One poller per running meeting across three replicas on PostgreSQL: three
dispatchers, each with its own engine, claim the meeting's ``live`` rows as
they claim reminders, and the server is asked about the meeting at most once
per LIVE_POLL_SECONDS, never by two at once, even with two rows watching it."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field, replace
from datetime import timedelta

import pytest
from sqlalchemy import insert, select, update

from adapters.reminders import Dispatcher, DispatcherConfig
from bot.clock import SystemClock
from bot.live.model import Activity, CallLog, LiveConfig, Participant, Recording
from bot.reminders.delivery import ActionPerformer, DeliveryPolicy
from storage.claims import SqlClaimStore
from storage.db import build_engine, build_session_factory
from storage.models import ScheduledActionRow
from storage.uow import SqlUnitOfWorkFactory
from tests.fakes import FakeBackend
from tests.support.reminders import TopicRecorder, core_deps, messengers_with, seed, utcnow
from tests.support.waiting import until_async

pytestmark = pytest.mark.timeout(90)

POLL = timedelta(seconds=1)
REPLICAS = 3
POLLS = 8


@dataclass
class CountingServer:
    """A conference that runs with one person in; notes when it was asked
    and how many askers were inside it at once."""

    asked: list[float] = field(default_factory=list)
    inside: int = 0
    most_inside: int = 0

    async def present(self, conference_id: str) -> Activity:
        self.inside += 1
        self.most_inside = max(self.most_inside, self.inside)
        self.asked.append(time.monotonic())
        await asyncio.sleep(0)  # let another asker in, if one were inside
        self.inside -= 1
        return Activity(True, (Participant("Alice Archer"),))

    async def calls(self, conference_id: str, since: object) -> list[CallLog]:
        return []

    async def recordings(self, conference_id: str) -> list[Recording]:
        return []


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_three_replicas_poll_a_running_meeting_one_at_a_time(migrated_url: str) -> None:
    engines = [build_engine(migrated_url) for _ in range(REPLICAS)]
    server = CountingServer()
    clock = SystemClock()
    dispatchers: list[Dispatcher] = []
    try:
        sessions = build_session_factory(engines[0])
        now = utcnow()
        await seed(sessions, [now], now=now, offset=timedelta(0))
        async with sessions() as session:
            await session.execute(update(ScheduledActionRow).values(kind="live"))
            # A second row watching the same meeting (its start by hand while
            # the planned one was pending): still one poll per interval.
            row = (await session.execute(select(ScheduledActionRow))).scalar_one()
            await session.execute(
                insert(ScheduledActionRow).values(
                    meeting_id=row.meeting_id,
                    kind="live",
                    occurrence_start=now - timedelta(seconds=1),
                    offset_seconds=0,
                    recipient=row.recipient,
                    fire_at=now,
                    available_at=now,
                    status="pending",
                    attempts=0,
                    created_at=now,
                )
            )
            await session.commit()
        config = DispatcherConfig(lease=timedelta(seconds=2), renew_seconds=0.5, sweep_seconds=0.2)
        for engine in engines:
            replica_sessions = build_session_factory(engine)
            backend = FakeBackend("trueconf")
            backend.activity = server
            deps = replace(
                core_deps(SqlUnitOfWorkFactory(replica_sessions, clock=clock), clock),
                backends={"trueconf": backend},
                live=LiveConfig(poll=POLL),
            )
            performer = ActionPerformer(
                deps, messengers_with(TopicRecorder(clock)), DeliveryPolicy()
            )
            dispatchers.append(
                Dispatcher(SqlClaimStore(replica_sessions), performer, clock, config)
            )
        await asyncio.gather(*(d.start() for d in dispatchers))

        async def polled_enough() -> bool:
            return len(server.asked) >= POLLS

        await until_async(polled_enough, within=60, what=f"{POLLS} polls")
    finally:
        await asyncio.gather(*(d.stop() for d in dispatchers), return_exceptions=True)
        for engine in engines:
            await engine.dispose()
    assert server.most_inside == 1  # never two pollers at once
    gaps = [b - a for a, b in zip(server.asked, server.asked[1:], strict=False)]
    # At most once per interval (half of it is the leeway between replicas' clocks).
    assert min(gaps) >= POLL.total_seconds() / 2, gaps
