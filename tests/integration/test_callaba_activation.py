"""Callaba rooms switched by the bridge's durable ledger: a scheduled room is
created closed, opened ``CALLABA_ACTIVATION_LEAD_MINUTES`` before each start
and closed at each end. The whole path is real (ledger rows in SQLite and
PostgreSQL, the claim store, the action performer, the Callaba client over
loopback to its sandbox); only the clock is frozen and moved by the test."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from adapters.callaba.sandbox import CallabaSandbox
from adapters.reminders import Dispatcher, DispatcherConfig
from bot.chat import ChatRef, UserRef
from bot.clock import FrozenClock
from bot.commands import CommandInput
from bot.messengers import Messengers
from bot.ports.ledger import ClaimedAction, Finished
from bot.reminders.delivery import ActionPerformer, DeliveryPolicy, Done, Due, Outcome
from bot.reply import Capabilities, Reply
from meetbridge.compose import App, build_app
from meetbridge.config import load_config
from storage.claims import SqlClaimStore
from storage.db import build_engine, build_session_factory
from tests.support.edges import callaba_endpoint_of

pytestmark = pytest.mark.timeout(60)

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # Monday 11:00 in Moscow
CHAT = ChatRef("console", "local", "team")
LEASE = timedelta(minutes=1)


@dataclass
class Bridge:
    app: App
    sandbox: CallabaSandbox
    clock: FrozenClock
    store: SqlClaimStore
    performer: ActionPerformer

    async def say(self, text: str) -> Reply:
        command_input = CommandInput(
            text=text, chat=CHAT, user=UserRef("console", "local", "helen", "helen")
        )
        return await self.app.service.handle(command_input, Capabilities())

    async def at(self, moment: datetime) -> list[str]:
        """Move the clock and do what the dispatcher does with the rows now due:
        claim, carry out, record, plan the next occurrence."""
        self.clock.set(moment)
        done: list[str] = []
        for action in await self.store.claim("test", moment, LEASE, 100):
            outcome = await self.performer.perform(action)
            assert isinstance(outcome, Done), outcome
            finished = Finished(
                action.id, action.meeting_id, outcome.status, outcome.error, outcome.following
            )
            assert await self.store.finish_many("test", [finished], moment) == 1
            done.append(f"{action.kind.value} {outcome.status.value}")
        return done

    def room(self) -> dict[str, object]:
        [room] = self.sandbox.state.rooms().values()
        return room

    def switches(self) -> list[object]:
        return [c.body.get("active") for c in self.sandbox.state.log("update")]


@pytest.fixture
async def bridge(database_url: str) -> AsyncIterator[Bridge]:
    clock = FrozenClock(NOW)
    settings = load_config(
        env_file=None,
        database_url=database_url,
        default_timezone="Europe/Moscow",
        callaba_url="sandbox",
        reminder_default_offsets="off",  # only the room's own rows in the ledger
    )
    engine = build_engine(database_url)
    try:
        async with build_app(settings, clock=clock) as app:
            endpoint = callaba_endpoint_of(app)
            assert endpoint.sandbox is not None
            store = SqlClaimStore(build_session_factory(engine))
            performer = ActionPerformer(app.deps, Messengers(), DeliveryPolicy())
            yield Bridge(app, endpoint.sandbox, clock, store, performer)
    finally:
        await engine.dispose()


async def test_a_one_time_room_opens_before_the_start_and_closes_at_the_end(
    bridge: Bridge,
) -> None:
    await bridge.say("tomorrow 15:00 for 1h Design review")  # 12:00 UTC
    assert bridge.room()["active"] is False
    assert bridge.app.deps.activation_lead == timedelta(minutes=5)

    assert await bridge.at(datetime(2026, 11, 24, 11, 54, tzinfo=UTC)) == []
    assert bridge.room()["active"] is False

    assert await bridge.at(datetime(2026, 11, 24, 11, 55, tzinfo=UTC)) == ["activate sent"]
    assert bridge.room()["active"] is True

    assert await bridge.at(datetime(2026, 11, 24, 12, 59, tzinfo=UTC)) == []
    assert bridge.room()["active"] is True

    assert await bridge.at(datetime(2026, 11, 24, 13, 0, tzinfo=UTC)) == ["deactivate sent"]
    assert bridge.room()["active"] is False
    assert bridge.switches() == [True, False]
    assert await bridge.at(datetime(2026, 11, 25, 13, 0, tzinfo=UTC)) == []  # nothing left


async def test_a_weekly_room_is_reused_and_toggled_per_occurrence(bridge: Bridge) -> None:
    await bridge.say("weekly mon,wed 10:00 for 30m Standup")  # 07:00 UTC
    room_id = next(iter(bridge.sandbox.state.rooms()))

    wednesday = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)
    assert await bridge.at(wednesday - timedelta(minutes=5)) == ["activate sent"]
    assert bridge.room()["active"] is True
    assert await bridge.at(wednesday + timedelta(minutes=30)) == ["deactivate sent"]
    assert bridge.room()["active"] is False

    monday = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)
    assert await bridge.at(monday - timedelta(minutes=6)) == []
    assert await bridge.at(monday - timedelta(minutes=5)) == ["activate sent"]
    assert bridge.room()["active"] is True
    assert await bridge.at(monday + timedelta(minutes=30)) == ["deactivate sent"]
    assert bridge.room()["active"] is False

    assert list(bridge.sandbox.state.rooms()) == [room_id]  # one room, reused
    assert len(bridge.sandbox.state.log("create")) == 1
    assert bridge.switches() == [True, False, True, False]


async def test_a_room_made_inside_the_lead_opens_at_once(bridge: Bridge) -> None:
    await bridge.say("in 3 min for 30m Quick sync")  # starts 08:03, lead 5 min

    assert await bridge.at(NOW) == ["activate late"]  # its ideal moment has passed
    assert bridge.room()["active"] is True
    assert await bridge.at(NOW + timedelta(minutes=33)) == ["deactivate sent"]
    assert bridge.room()["active"] is False


async def test_cancelling_removes_the_room_and_its_switching(bridge: Bridge) -> None:
    await bridge.say("tomorrow 15:00 for 1h Design review")

    reply = await bridge.say("cancel 1")

    assert "cancelled" in reply.plain_text()
    assert bridge.sandbox.state.rooms() == {}
    assert [c.status for c in bridge.sandbox.state.log("remove")] == [200]
    assert await bridge.at(datetime(2026, 11, 24, 13, 0, tzinfo=UTC)) == []
    assert bridge.switches() == []


class Signalling:
    """The performer, telling the test each time it has carried a row out."""

    def __init__(self, inner: ActionPerformer) -> None:
        self._inner = inner
        self.performed = asyncio.Event()

    async def read(self, actions: Sequence[ClaimedAction]) -> dict[int, Due]:
        return await self._inner.read(actions)

    async def perform(
        self, action: ClaimedAction, due: Due | None = None, *, still_ours: Callable[[], bool]
    ) -> Outcome:
        outcome = await self._inner.perform(action, due, still_ours)
        self.performed.set()
        return outcome


async def test_the_running_dispatcher_opens_the_room(bridge: Bridge) -> None:
    await bridge.say("tomorrow 15:00 for 1h Design review")
    performer = Signalling(bridge.performer)
    dispatcher = Dispatcher(
        bridge.store,
        performer,  # type: ignore[arg-type]
        bridge.clock,
        DispatcherConfig(sweep_seconds=3600),
    )
    await dispatcher.start()
    try:
        bridge.clock.set(datetime(2026, 11, 24, 11, 55, tzinfo=UTC))
        dispatcher.wake()
        async with asyncio.timeout(10):
            await performer.performed.wait()
    finally:
        await dispatcher.stop()
    assert bridge.room()["active"] is True
    assert bridge.switches() == [True]
