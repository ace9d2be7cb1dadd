"""Leases kept alive while a dispatcher works, and heartbeats that tell a
takeover from downtime, on real SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.reminders import Dispatcher, DispatcherConfig
from bot.chat import ChatRef
from bot.clock import Clock, FrozenClock, SystemClock
from bot.ports.ledger import Finished, Status
from bot.reminders.delivery import ActionPerformer, DeliveryPolicy
from bot.reply import Reply
from storage.claims import SqlClaimStore
from storage.models import DispatcherRow, ScheduledActionRow
from storage.uow import SqlUnitOfWorkFactory
from tests.support.reminders import (
    ConsoleStandIn,
    core_deps,
    messengers_with,
    seed,
    statuses,
    utcnow,
)
from tests.support.waiting import until_async

pytestmark = pytest.mark.timeout(60)

LEASE = timedelta(seconds=10)


async def test_a_claim_tells_rows_due_while_a_dispatcher_lived_from_downtime(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    now = utcnow()
    store = SqlClaimStore(session_factory)
    # "a" ran from 10 to 5 minutes ago; nothing else ran until "b" started now.
    await store.register("a", now - timedelta(minutes=10), now - timedelta(minutes=9))
    await store.renew("a", [], now - timedelta(minutes=6), now - timedelta(minutes=5))
    await store.register("b", now, now + LEASE)
    before, during, after = (now - timedelta(minutes=m) for m in (20, 7, 2))
    await seed(session_factory, [before, during, after], now=now)
    claimed = await store.claim("b", now, LEASE, 10)
    assert {a.fire_at: a.attended for a in claimed} == {
        before: False,  # before any dispatcher: downtime
        during: True,  # while "a" lived: whoever held it died, a takeover
        after: False,  # "a" gone, "b" not yet started: downtime
    }


async def test_renewal_extends_the_heartbeat_and_the_leases_still_held(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    now = utcnow()
    store = SqlClaimStore(session_factory)
    await store.register("a", now, now + LEASE)
    await seed(session_factory, [now - timedelta(seconds=1)] * 3, now=now)
    held = [a.id for a in await store.claim("a", now, LEASE, 10)]
    assert await store.finish_many("a", [Finished(held[0], 1, Status.SENT)], now) == 1
    renewed_at = now + LEASE / 2
    # Not the one recorded meanwhile.
    assert await store.renew("a", held, renewed_at, renewed_at + LEASE) == set(held[1:])
    assert await store.claim("b", now + LEASE + timedelta(seconds=1), LEASE, 10) == []
    taken = await store.claim("b", renewed_at + LEASE + timedelta(seconds=1), LEASE, 10)
    assert sorted(a.id for a in taken) == held[1:]
    assert await store.renew("a", held, renewed_at, renewed_at + LEASE) == set()  # lost them
    async with session_factory() as session:
        beat = await session.scalar(
            select(DispatcherRow.alive_until).where(DispatcherRow.owner == "a")
        )
    assert beat == renewed_at + LEASE
    await store.release("a", renewed_at)
    async with session_factory() as session:
        beat = await session.scalar(
            select(DispatcherRow.alive_until).where(DispatcherRow.owner == "a")
        )
    assert beat == renewed_at  # stopped: alive no longer


@dataclass
class HeldMessenger(ConsoleStandIn):
    """Takes each message only once ``go`` is set."""

    go: asyncio.Event = field(default_factory=asyncio.Event)
    sent: int = 0

    async def send(self, chat: ChatRef, reply: Reply) -> None:
        await self.go.wait()
        self.sent += 1


async def lease_until(sessions: async_sessionmaker[AsyncSession]) -> datetime | None:
    async with sessions() as session:
        until: datetime | None = await session.scalar(select(ScheduledActionRow.lease_until))
    return until


SHORT_LEASE = timedelta(seconds=2)


async def slow_sender(
    sessions: async_sessionmaker[AsyncSession],
    stop_timeout: float = 10.0,
    clock: Clock | None = None,
) -> tuple[Dispatcher, HeldMessenger]:
    """One reminder due, and a dispatcher on a short lease whose messenger
    holds each message until told."""
    clock = clock or SystemClock()
    now = clock.now()
    await seed(sessions, [now - timedelta(seconds=1)], now=now)
    messenger = HeldMessenger()
    deps = core_deps(SqlUnitOfWorkFactory(sessions, clock=clock), clock)
    performer = ActionPerformer(deps, messengers_with(messenger), DeliveryPolicy())
    config = DispatcherConfig(
        lease=SHORT_LEASE, renew_seconds=0.2, sweep_seconds=30, stop_timeout=stop_timeout
    )
    return Dispatcher(SqlClaimStore(sessions), performer, clock, config), messenger


async def first_lease(sessions: async_sessionmaker[AsyncSession]) -> datetime:
    """When the row's lease runs out, once a dispatcher has claimed it."""
    found: list[datetime] = []

    async def claimed() -> bool:
        until = await lease_until(sessions)
        found[:] = [] if until is None else [until]
        return bool(found)

    await until_async(claimed, within=20, what="the row claimed")
    return found[0]


async def test_a_dispatcher_keeps_a_slow_send_past_its_lease(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    dispatcher, messenger = await slow_sender(session_factory)
    lease = SHORT_LEASE
    await dispatcher.start()
    try:
        first = await first_lease(session_factory)

        async def renewed_past_first_lease() -> bool:
            until = await lease_until(session_factory)
            return until is not None and until > first + lease

        await until_async(renewed_past_first_lease, within=20, what="two renewals")
        # Past the lease it was claimed with, nobody else may take it.
        other = SqlClaimStore(session_factory)
        assert await other.claim("other", first + timedelta(seconds=1), lease, 10) == []
        messenger.go.set()

        async def recorded() -> bool:
            return await statuses(session_factory) == {"sent": 1}

        await until_async(recorded, within=20, what="the send recorded")
    finally:
        messenger.go.set()
        await dispatcher.stop()
    assert messenger.sent == 1


class FinishFails(SqlClaimStore):
    """The database refuses to record outcomes."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        super().__init__(sessions)
        self.failed = asyncio.Event()

    async def finish_many(self, owner: str, done: Sequence[Finished], now: datetime) -> int:
        self.failed.set()
        raise RuntimeError("the database went away")


async def heartbeat(sessions: async_sessionmaker[AsyncSession]) -> datetime | None:
    async with sessions() as session:
        until: datetime | None = await session.scalar(select(DispatcherRow.alive_until))
    return until


async def test_a_row_whose_outcome_was_not_recorded_is_left_to_lapse(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    now = utcnow()
    await seed(session_factory, [now - timedelta(seconds=1)], now=now)
    clock = SystemClock()
    deps = core_deps(SqlUnitOfWorkFactory(session_factory, clock=clock), clock)
    messenger = HeldMessenger()
    messenger.go.set()  # answers at once
    performer = ActionPerformer(deps, messengers_with(messenger), DeliveryPolicy())
    store = FinishFails(session_factory)
    lease = timedelta(seconds=2)
    config = DispatcherConfig(lease=lease, renew_seconds=0.2, sweep_seconds=30)
    dispatcher = Dispatcher(store, performer, clock, config)
    await dispatcher.start()
    try:
        async with asyncio.timeout(20):
            await store.failed.wait()

        async def two_rounds_after(lease_end: datetime) -> None:
            async def beats_went_on() -> bool:
                beat = await heartbeat(session_factory)
                return beat is not None and beat > lease_end + 2 * timedelta(seconds=0.2)

            await until_async(beats_went_on, within=20, what="two more renewal rounds")

        # A renewal round already under way as the outcome failed may still
        # land; from then on the row is renewed no more.
        seen = await lease_until(session_factory)
        assert seen is not None
        await two_rounds_after(seen)
        held_until = await lease_until(session_factory)
        assert held_until is not None
        await two_rounds_after(held_until)
        # Renewed no more: once its lease runs out, another process takes it.
        assert await lease_until(session_factory) == held_until
        other = SqlClaimStore(session_factory)
        taken = await other.claim("other", held_until + timedelta(milliseconds=1), lease, 10)
        assert len(taken) == 1
    finally:
        await dispatcher.stop()
    assert messenger.sent == 1


async def test_a_send_finishing_during_a_stop_keeps_its_lease(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    # A stop waits for sends in flight (up to stop_timeout, which may be
    # longer than the lease): their leases are renewed meanwhile, or another
    # process would send them too.
    # The clock moves only when told: on a loaded machine a real one could
    # outrun the renewal rounds and end the lease this test shows is kept.
    clock = FrozenClock(utcnow())
    dispatcher, messenger = await slow_sender(session_factory, stop_timeout=20, clock=clock)
    await dispatcher.start()
    stopping: asyncio.Task[None] | None = None
    try:
        first = await first_lease(session_factory)
        stopping = asyncio.create_task(dispatcher.stop())
        clock.set(first + timedelta(seconds=1))

        async def renewed_past_the_first_lease() -> bool:
            until = await lease_until(session_factory)
            return until is not None and until > clock.now()

        await until_async(renewed_past_the_first_lease, within=20, what="a renewal while stopping")
        # Still renewed: nobody else may take it now.
        other = SqlClaimStore(session_factory)
        assert await other.claim("other", clock.now(), SHORT_LEASE, 10) == []
        messenger.go.set()
        await asyncio.wait_for(stopping, timeout=20)
    finally:
        messenger.go.set()
        if stopping is None:
            await dispatcher.stop()
        else:
            await asyncio.gather(stopping, return_exceptions=True)
    assert messenger.sent == 1
    assert await statuses(session_factory) == {"sent": 1}
