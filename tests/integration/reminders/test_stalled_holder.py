"""A dispatcher that stalls past its lease (a paused VM, a process starved of
CPU or stopped) and comes back to rows another process took over meanwhile
sends none of them; a row nobody took is still sent, at once. On real SQLite
and PostgreSQL, with the clock injected."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.reminders import Dispatcher, DispatcherConfig
from bot.chat import ChatRef
from bot.clock import FrozenClock
from bot.errors import DeliveryError
from bot.ports.ledger import ClaimedAction, Finished, Status
from bot.reminders.delivery import (
    ActionPerformer,
    DeliveryPolicy,
    Done,
    Due,
    Forfeited,
    Outcome,
    Retry,
)
from bot.reply import Reply
from storage.claims import SqlClaimStore
from storage.models import ScheduledActionRow
from storage.uow import SqlUnitOfWorkFactory
from tests.support.reminders import TopicRecorder, core_deps, messengers_with, seed, utcnow
from tests.support.waiting import until, until_async

pytestmark = pytest.mark.timeout(60)

LEASE = timedelta(seconds=15)
CONFIG = DispatcherConfig(lease=LEASE, renew_seconds=0.05, sweep_seconds=30)


def _yes() -> bool:
    return True


class StallingPerformer(ActionPerformer):
    """Stops after reading its first claim's meetings until ``resume`` is
    set (the process paused between its claim and the send); keeps every
    outcome."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.stalled = asyncio.Event()
        self.resume = asyncio.Event()
        self.outcomes: list[Outcome] = []

    async def read(self, actions: Sequence[ClaimedAction]) -> dict[int, Due]:
        dues = await super().read(actions)
        if not self.stalled.is_set():
            self.stalled.set()
            await self.resume.wait()
        return dues

    async def perform(
        self,
        action: ClaimedAction,
        due: Due | None = None,
        still_ours: Callable[[], bool] = _yes,
    ) -> Outcome:
        outcome = await super().perform(action, due, still_ours)
        self.outcomes.append(outcome)
        return outcome


class PausableStore(SqlClaimStore):
    """Renewal rounds wait while ``running`` is clear (the process is
    stopped); each round's answer is kept."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        super().__init__(sessions)
        self.running = asyncio.Event()
        self.running.set()
        self.rounds: list[tuple[frozenset[int], frozenset[int]]] = []  # asked, renewed

    async def renew(
        self, owner: str, held: Sequence[int], now: datetime, until: datetime
    ) -> frozenset[int]:
        await self.running.wait()
        renewed = await super().renew(owner, held, now, until)
        self.rounds.append((frozenset(held), renewed))
        return renewed


class Holder:
    """Dispatcher "a" on a frozen clock, with a recording messenger, stalled
    after its first claim (``stalled_holder``)."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: FrozenClock,
        topics: list[str],
        messenger: TopicRecorder,
        policy: DeliveryPolicy,
    ) -> None:
        self.clock = clock
        self.topics = topics
        self.messenger = messenger
        deps = core_deps(SqlUnitOfWorkFactory(sessions, clock=clock), clock)
        self.performer = StallingPerformer(deps, messengers_with(messenger), policy)
        self.store = PausableStore(sessions)
        self.dispatcher = Dispatcher(self.store, self.performer, clock, CONFIG, owner="a")

    def stop_past_the_lease(self) -> None:
        """The whole process stops (no renewal either) while the world's
        time moves on past the lease it claimed with."""
        self.store.running.clear()
        self.clock.advance(LEASE + timedelta(seconds=1))

    def resume(self) -> None:
        self.store.running.set()
        self.performer.resume.set()


@dataclass
class FailsOnce(TopicRecorder):
    """Refuses its first message as Telegram does under load (429)."""

    refused: int = 0

    async def send(self, chat: ChatRef, reply: Reply) -> None:
        if not self.refused:
            self.refused += 1
            raise DeliveryError("429 too many requests", retry_after=1)
        await super().send(chat, reply)


@asynccontextmanager
async def stalled_holder(
    sessions: async_sessionmaker[AsyncSession],
    policy: DeliveryPolicy | None = None,
    messenger: type[TopicRecorder] = TopicRecorder,
) -> AsyncIterator[Holder]:
    """One reminder due, claimed by "a", which stalls before sending it."""
    now = utcnow()
    topics = await seed(sessions, [now - timedelta(seconds=1)], now=now)
    clock = FrozenClock(now)
    a = Holder(sessions, clock, topics, messenger(clock), policy or DeliveryPolicy())
    await a.dispatcher.start()
    try:
        async with asyncio.timeout(20):
            await a.performer.stalled.wait()
        yield a
    finally:
        a.resume()
        await a.dispatcher.stop()


async def take_over_and_send(
    sessions: async_sessionmaker[AsyncSession], at: datetime
) -> ClaimedAction:
    """Process "b" claims the row at ``at`` and records it sent."""
    other = SqlClaimStore(sessions)
    taken = await other.claim("b", at, LEASE, 10)
    assert len(taken) == 1, "the lapsed row is free for another process"
    [action] = taken
    assert await other.finish_many("b", [Finished(action.id, action.meeting_id, Status.SENT)], at)
    return action


async def row(sessions: async_sessionmaker[AsyncSession]) -> tuple[str, str | None, int]:
    async with sessions() as session:
        found = (
            await session.execute(
                select(
                    ScheduledActionRow.status,
                    ScheduledActionRow.lease_owner,
                    ScheduledActionRow.attempts,
                )
            )
        ).one()
    return found.status, found.lease_owner, found.attempts


async def test_a_holder_stopped_past_its_lease_does_not_send_what_another_took_over(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with stalled_holder(session_factory) as a:
        a.stop_past_the_lease()
        await take_over_and_send(session_factory, a.clock.now())
        a.resume()
        await until(lambda: bool(a.performer.outcomes), within=20, what="a's attempt")
    assert a.performer.outcomes == [Forfeited()]
    assert a.messenger.sent == []  # sent once, by "b" alone
    assert await row(session_factory) == ("sent", None, 2)


async def test_a_renewal_that_no_longer_finds_a_row_drops_it(
    session_factory: async_sessionmaker[AsyncSession], caplog: pytest.LogCaptureFixture
) -> None:
    # "a"'s clock is behind "b"'s: by its own it still holds the row, but the
    # store says another process has it.
    async with stalled_holder(session_factory) as a:
        later = a.clock.now() + LEASE + timedelta(seconds=1)
        taken = await take_over_and_send(session_factory, later)
        asked_for_it = len(a.store.rounds)

        def renewal_without_it() -> bool:
            return any(
                taken.id in asked and taken.id not in renewed
                for asked, renewed in a.store.rounds[asked_for_it:]
            )

        await until(renewal_without_it, within=20, what="a renewal round after the takeover")
        with caplog.at_level(logging.WARNING, logger="adapters.reminders.dispatcher"):
            a.resume()
            await until(lambda: bool(a.performer.outcomes), within=20, what="a's attempt")
    assert a.performer.outcomes == [Forfeited()]
    assert a.messenger.sent == []
    assert await row(session_factory) == ("sent", None, 2)
    assert any("taken over by another process" in r.getMessage() for r in caplog.records)


async def test_a_row_nobody_took_over_is_still_sent_at_once(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with stalled_holder(session_factory) as a:
        a.stop_past_the_lease()
        # Its renewals stay stopped: one landing first would renew the row
        # (nobody else holds it) and the send would go ahead at once.
        a.performer.resume.set()

        async def recorded() -> bool:
            return (await row(session_factory))[0] == "sent"

        await until_async(recorded, within=20, what="the row sent and recorded")
    # Its lease ran out before the send: handed back and claimed again at
    # once (the clock has not moved since), not left to lapse a second time,
    # and tried once: the forfeit was no attempt.
    first, second = a.performer.outcomes
    assert first == Forfeited()
    assert isinstance(second, Done)
    assert second.status is Status.SENT
    assert [topic for topic, _ in a.messenger.sent] == a.topics
    assert await row(session_factory) == ("sent", None, 1)


async def test_a_forfeit_does_not_use_up_an_attempt(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    # Two attempts allowed: a row never tried before its forfeit is retried
    # after its first refusal, not marked failed (an independent review's case).
    policy = DeliveryPolicy(max_attempts=2)
    async with stalled_holder(session_factory, policy, FailsOnce) as a:
        a.stop_past_the_lease()
        a.performer.resume.set()

        async def refused_once() -> bool:
            return len(a.performer.outcomes) >= 2

        await until_async(refused_once, within=20, what="the first real attempt")
    first, second = a.performer.outcomes[:2]
    assert first == Forfeited()
    assert isinstance(second, Retry), second
