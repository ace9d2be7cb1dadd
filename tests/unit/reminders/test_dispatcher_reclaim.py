"""A renewal round asked about a row before the row was forfeited, handed
back and claimed again by the same process must not drop the new claim: the
second send would run unrenewed, its lease could lapse mid-send and another
process send it too (a case from an independent review). A store in memory
whose every step the test opens and closes, the clock injected."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from adapters.reminders import Dispatcher, DispatcherConfig
from bot.chat import Platform
from bot.clock import FrozenClock
from bot.ports.ledger import ActionKind, ClaimedAction, Finished, Status
from bot.reminders.delivery import Done, Due, Forfeited, Outcome
from tests.support.waiting import until

pytestmark = pytest.mark.timeout(30)

LEASE = timedelta(seconds=15)
T0 = datetime(2030, 1, 1, 12, tzinfo=UTC)


@dataclass
class Row:
    status: str = "pending"
    owner: str | None = None
    available_at: datetime = T0
    attempts: int = 0


def _open() -> asyncio.Event:
    gate = asyncio.Event()
    gate.set()
    return gate


class GatedStore:
    """One ledger row; renewals wait at ``renew_in`` and before answering
    at ``renew_out``, claims at ``claim_gate``."""

    def __init__(self) -> None:
        self.row = Row()
        self.renew_in, self.renew_out, self.claim_gate = _open(), _open(), _open()
        self.renew_waiting = 0
        self.renew_asked: list[list[int]] = []
        self.given_back = 0

    async def register(self, owner: str, now: datetime, alive_until: datetime) -> None:
        return None

    async def claim(
        self,
        owner: str,
        now: datetime,
        lease: timedelta,
        limit: int,
        platforms: Collection[Platform] | None = None,
    ) -> list[ClaimedAction]:
        await self.claim_gate.wait()
        row = self.row
        if row.status not in ("pending", "sending") or row.available_at > now:
            return []
        row.status, row.owner, row.available_at = "sending", owner, now + lease
        row.attempts += 1
        return [ClaimedAction(1, 1, ActionKind.REMIND, T0, timedelta(0), "c", T0, row.attempts)]

    async def renew(
        self, owner: str, held: Sequence[int], now: datetime, until: datetime
    ) -> frozenset[int]:
        self.renew_waiting += 1
        await self.renew_in.wait()
        self.renew_waiting -= 1
        self.renew_asked.append(list(held))
        row, kept = self.row, frozenset[int]()
        if 1 in held and row.owner == owner and row.status == "sending":
            row.available_at, kept = until, frozenset({1})
        await self.renew_out.wait()
        return kept

    def _own(self, owner: str) -> bool:
        return self.row.owner == owner and self.row.status == "sending"

    async def finish(
        self, action_id: int, owner: str, status: Status, now: datetime, error: str | None = None
    ) -> bool:
        raise AssertionError("the dispatcher records in batches")

    async def finish_many(self, owner: str, done: Sequence[Finished], now: datetime) -> int:
        if not self._own(owner):
            return 0
        self.row.status, self.row.owner = "sent", None
        return 1

    async def retry(self, action_id: int, owner: str, at: datetime, error: str | None) -> bool:
        raise AssertionError("nothing here fails")

    async def give_back(self, action_id: int, owner: str, now: datetime) -> bool:
        if not self._own(owner):
            return False
        row = self.row
        row.status, row.owner, row.available_at = "pending", None, now
        row.attempts -= 1
        self.given_back += 1
        return True

    async def next_available(
        self, platforms: Collection[Platform] | None = None
    ) -> datetime | None:
        return self.row.available_at if self.row.status in ("pending", "sending") else None

    async def release(self, owner: str, now: datetime) -> int:
        return 0


class GatedPerformer:
    """Its n-th attempt waits for ``go[n]``; a send, for ``finish_send``."""

    def __init__(self) -> None:
        self.calls = 0
        self.go = [asyncio.Event(), asyncio.Event()]
        self.sending = asyncio.Event()
        self.finish_send = asyncio.Event()

    async def read(self, actions: Sequence[ClaimedAction]) -> dict[int, Due]:
        return {}

    async def perform(
        self, action: ClaimedAction, due: Due | None, still_ours: Callable[[], bool]
    ) -> Outcome:
        n = self.calls
        self.calls += 1
        await self.go[n].wait()
        if not still_ours():
            return Forfeited()
        self.sending.set()
        await self.finish_send.wait()  # a slow chat service
        return Done(Status.SENT)


async def test_a_stale_renewal_answer_does_not_drop_a_fresh_claim(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = FrozenClock(T0)
    store, performer = GatedStore(), GatedPerformer()
    config = DispatcherConfig(lease=LEASE, renew_seconds=0.02, sweep_seconds=3600)
    d = Dispatcher(store, performer, clock, config, owner="a")  # type: ignore[arg-type]
    await d.start()
    try:
        await until(lambda: performer.calls == 1, within=5, what="the first claim")
        # The process stalls: its renewal waits at the store's door while
        # time moves on to less than the send margin.
        store.renew_in.clear()
        await until(lambda: store.renew_waiting == 1, within=5, what="a renewal at the door")
        clock.advance(LEASE - timedelta(seconds=2))
        store.claim_gate.clear()
        performer.go[0].set()  # forfeited and handed back...
        await until(lambda: store.given_back == 1, within=5, what="the hand-back")
        store.renew_out.clear()
        store.renew_in.set()  # ...the renewal finds the row pending...
        await until(lambda: len(store.renew_asked) >= 1, within=5, what="the stale renewal")
        store.claim_gate.set()  # ...and this process claims it again
        await until(lambda: performer.calls == 2, within=5, what="the second claim")
        performer.go[1].set()
        await until(performer.sending.is_set, within=5, what="the second send under way")
        with caplog.at_level(logging.WARNING, logger="adapters.reminders.dispatcher"):
            store.renew_out.set()  # the stale answer comes back
            rounds = len(store.renew_asked)
            await until(lambda: len(store.renew_asked) >= rounds + 3, within=5, what="3 rounds")
        later_rounds = store.renew_asked[rounds:]
        assert (store.row.owner, store.row.status, store.row.attempts) == ("a", "sending", 1)
        # This process's and being sent: still renewed, every round.
        assert all(1 in held for held in later_rounds), later_rounds
    finally:
        performer.finish_send.set()
        await d.stop()
    assert not any("taken over by another process" in r.getMessage() for r in caplog.records)
    assert store.row.status == "sent"
