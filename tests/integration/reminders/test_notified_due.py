"""On PostgreSQL every write of ledger rows notifies the dispatchers with the
time its first row comes due. Rows due later (a reminder for tomorrow's
meeting, written with every command) cost a dispatcher no claim and no read
when they are written: it only plans to look by then, and then sends them on
time; a row due now is claimed at once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.reminders import Dispatcher, DispatcherConfig
from bot.clock import SystemClock
from bot.ports.ledger import ClaimedAction
from bot.reminders.delivery import ActionPerformer, DeliveryPolicy
from storage.claims import SqlClaimStore
from storage.notify import ActionListener
from storage.repositories.ledger import NOTIFY_CHANNEL
from storage.uow import SqlUnitOfWorkFactory
from tests.support.reminders import TopicRecorder, core_deps, messengers_with, seed, utcnow
from tests.support.waiting import until

pytestmark = [
    pytest.mark.timeout(60),
    pytest.mark.parametrize("database_url", ["postgres"], indirect=True),
]


class CountingStore(SqlClaimStore):
    """The real store, counting the claims the dispatcher makes."""

    claims = 0

    async def claim(self, *args: object, **kwargs: object) -> list[ClaimedAction]:
        self.claims += 1
        return await super().claim(*args, **kwargs)  # type: ignore[arg-type]


async def notify(sessions: async_sessionmaker[AsyncSession], due: datetime) -> None:
    async with sessions() as session:
        await session.execute(
            text("SELECT pg_notify(:channel, :payload)"),
            {"channel": NOTIFY_CHANNEL, "payload": due.isoformat()},
        )
        await session.commit()


def planned(dispatcher: Dispatcher, due: datetime) -> Callable[[], bool]:
    return lambda: dispatcher.next_look == due


async def test_rows_due_later_cost_no_claim_when_written_and_are_sent_on_time(
    database_url: str, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    clock = SystemClock()
    recorder = TopicRecorder(clock)
    performer = ActionPerformer(
        core_deps(SqlUnitOfWorkFactory(session_factory, clock=clock), clock),
        messengers_with(recorder),
        DeliveryPolicy(),
    )
    store = CountingStore(session_factory)
    # No sweep within the test: only the notifications and the plan wake it.
    config = DispatcherConfig(lease=timedelta(seconds=30), sweep_seconds=600)
    dispatcher = Dispatcher(store, performer, clock, config)
    dispatcher.attach_listener(ActionListener(database_url, dispatcher.notified))
    await dispatcher.start()
    try:
        await until(lambda: store.claims >= 1, within=10, what="the first look")
        await until(lambda: dispatcher.next_look is None, within=10, what="an empty ledger")
        claims = store.claims
        base = utcnow() + timedelta(seconds=3)
        dues = [base + timedelta(milliseconds=100 * n) for n in range(1, 6)]
        await seed(session_factory, dues, now=utcnow())
        # Five commands' writes, each due sooner than the last: the plan moves
        # earlier with each, and no claim is made for any of them.
        for due in reversed(dues):
            await notify(session_factory, due)
            await until(planned(dispatcher, due), within=10, what="the plan")
        assert store.claims == claims
        # A write due later than the plan does not move it...
        await notify(session_factory, base + timedelta(hours=1))
        # ...and one due now is looked at at once (the sweep is minutes away).
        await notify(session_factory, utcnow())
        await until(lambda: store.claims > claims, within=10, what="a look now")
        await until(planned(dispatcher, dues[0]), within=10, what="the plan read back")
        # The five are sent when they come due, never before.
        await until(lambda: len(recorder.sent) >= 5, within=20, what="the rows due later")
        assert len(recorder.sent) == 5
        for topic, sent_at in recorder.sent:
            assert sent_at >= dues[int(topic[1:])]
    finally:
        await dispatcher.stop()
