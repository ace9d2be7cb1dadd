"""Commands writing one meeting at once, on both databases: whichever writes
second reads the meeting after the first has committed, so neither undoes the
other (the invitees an edit read stale, or the topic an invite did). One side
is held open after writing the meeting, uncommitted, until the other waits for
it (PostgreSQL: on a row lock; SQLite: from its writing transaction's BEGIN,
which takes the write lock), or held in its call to the server while the other
runs to its end; no sleeps."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Self

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.chat import UserRef
from bot.clock import FrozenClock
from bot.commands import CommandInput
from bot.errors import BackendError
from bot.live.model import Activity, CallLog, LiveConfig, Recording
from bot.meeting import Conference, LiveState, Meeting, MeetingStatus
from bot.reply import Capabilities, Reply
from bot.service import CommandService
from storage.repositories import SqlMeetingRepository
from storage.uow import SqlUnitOfWork, SqlUnitOfWorkFactory
from tests.fakes import FakeBackend, FakeDirectory, fake_deps
from tests.support.waiting import until, until_async
from tests.unit.core.conftest import CHAT, NOW, USERS

pytestmark = pytest.mark.timeout(60)


@dataclass
class Gate:
    """Once ``armed``, the next meeting saved waits for ``release``, its
    transaction open; ``held`` is set while it waits."""

    armed: bool = False
    writers: int = 0  # writing units of work entered
    held: asyncio.Event = field(default_factory=asyncio.Event)
    release: asyncio.Event = field(default_factory=asyncio.Event)


class HeldMeetings(SqlMeetingRepository):
    def __init__(self, session: AsyncSession, clock: FrozenClock, gate: Gate) -> None:
        super().__init__(session, clock)
        self._gate = gate

    async def save(self, meeting: Meeting) -> None:
        await super().save(meeting)
        await self._session.flush()  # the row written, its lock taken
        if self._gate.armed:
            self._gate.armed = False
            self._gate.held.set()
            await self._gate.release.wait()


class HeldUnitOfWork(SqlUnitOfWork):
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], clock: FrozenClock, gate: Gate
    ) -> None:
        super().__init__(sessions, clock)
        self._gate = gate
        self._held_clock = clock

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self._gate.writers += 1
        self.meetings = HeldMeetings(self._require_session(), self._held_clock, self._gate)
        return self


class HeldUnitOfWorkFactory(SqlUnitOfWorkFactory):
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], clock: FrozenClock, gate: Gate
    ) -> None:
        super().__init__(sessions, clock=clock)
        self._sessions = sessions
        self._held_clock = clock
        self._gate = gate

    def __call__(self, *, transaction: bool = True) -> SqlUnitOfWork:
        if not transaction:
            return super().__call__(transaction=False)
        return HeldUnitOfWork(self._sessions, self._held_clock, self._gate)


class HeldBackend(FakeBackend):
    """Once ``hold`` names a call, that call waits for ``resume`` (``inside``
    set meanwhile) before it is done; ``page_url``: the join page the server
    gives its conferences now, when it changed them."""

    def __init__(self) -> None:
        super().__init__("trueconf", pin="4321")
        self.hold = ""
        self.inside = asyncio.Event()
        self.resume = asyncio.Event()
        self.page_url = ""

    async def _held(self, call: str) -> None:
        if self.hold == call:
            self.hold = ""
            self.inside.set()
            await self.resume.wait()

    def _view(self, conference_id: str) -> Conference:
        view = super()._view(conference_id)
        if not self.page_url:
            return view
        return replace(view, join=replace(view.join, page_url=self.page_url))

    async def get(self, conference_id: str) -> Conference:
        conference = await super().get(conference_id)
        await self._held("get")
        return conference

    async def delete(self, conference_id: str) -> None:
        await self._held("delete")
        await super().delete(conference_id)

    async def start(self, conference_id: str) -> str:
        started = await super().start(conference_id)
        await self._held("started")  # running on the server, not yet recorded
        return started


@dataclass
class Bridge:
    service: CommandService
    factory: HeldUnitOfWorkFactory
    gate: Gate
    engine: AsyncEngine
    backend: HeldBackend

    async def say(self, line: str) -> Reply:
        command_input = CommandInput(
            text=line, chat=CHAT, user=UserRef("console", "local", "helen", "helen")
        )
        return await self.service.handle(command_input, Capabilities())

    async def stored(self, meeting_id: int = 1) -> Meeting:
        async with self.factory(transaction=False) as uow:
            meeting = await uow.meetings.get(meeting_id)
        assert meeting is not None
        return meeting

    async def until_the_other_waits(self, writers_before: int) -> None:
        """Until a second writer waits behind the held one (PostgreSQL), or
        opens its writing transaction (SQLite: its BEGIN waits for the lock)."""
        if self.engine.dialect.name == "postgresql":
            await until_async(self._waiting_on_a_lock, within=20, what="a wait on a lock")
        else:
            await until(
                lambda: self.gate.writers > writers_before, within=20, what="a second writer"
            )

    async def _waiting_on_a_lock(self) -> bool:
        async with self.engine.connect() as watcher:
            count = await watcher.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            )
        return bool(count)


@dataclass
class _Present:
    """A server that shows who is in a conference: its meetings are watched."""

    async def present(self, conference_id: str) -> Activity:
        return Activity(True)

    async def calls(self, conference_id: str, since: datetime) -> Sequence[CallLog]:
        return []

    async def recordings(self, conference_id: str) -> Sequence[Recording]:
        return []


def _bridge(
    engine: AsyncEngine,
    session_factory: async_sessionmaker[AsyncSession],
    live: LiveConfig | None = None,
) -> Bridge:
    """``live``: meetings are watched (their cards go live), so polled."""
    gate = Gate()
    clock = FrozenClock(NOW)
    factory = HeldUnitOfWorkFactory(session_factory, clock, gate)
    backend = HeldBackend()
    if live is not None:
        backend.activity = _Present()
    deps = replace(
        fake_deps(backend, USERS, NOW),
        uow=factory,
        clock=clock,
        directory=FakeDirectory(USERS),
        live=live,
    )
    return Bridge(CommandService(deps), factory, gate, engine, backend)


@pytest.fixture
def bridge(engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]) -> Bridge:
    return _bridge(engine, session_factory)


@pytest.fixture
def watching(engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]) -> Bridge:
    return _bridge(engine, session_factory, LiveConfig())


async def _second_while_first_is_held(bridge: Bridge, first: str, second: str) -> Reply:
    """Both done, neither failing; the second's reply."""
    reply = await _second_waiting_on_the_first(bridge, first, second)
    assert not reply.is_error, reply.plain_text()
    return reply


async def _second_waiting_on_the_first(bridge: Bridge, first: str, second: str) -> Reply:
    """The second's reply; the first did not fail."""
    bridge.gate.armed = True
    held = asyncio.ensure_future(bridge.say(first))
    await asyncio.wait_for(bridge.gate.held.wait(), 20)
    writers = bridge.gate.writers
    other = asyncio.ensure_future(bridge.say(second))
    await bridge.until_the_other_waits(writers)
    bridge.gate.release.set()
    first_reply, second_reply = await asyncio.wait_for(asyncio.gather(held, other), 30)
    assert not first_reply.is_error, first_reply.plain_text()
    return second_reply


@pytest.mark.parametrize(
    ("first", "second"),
    [("invite 1 @alice", "edit 1 New topic"), ("edit 1 New topic", "invite 1 @alice")],
)
async def test_an_invite_and_an_edit_at_once_keep_both(
    bridge: Bridge, first: str, second: str
) -> None:
    await bridge.say("tomorrow 15:00 Review")
    before = await bridge.stored()

    await _second_while_first_is_held(bridge, first, second)

    stored = await bridge.stored()
    assert stored.topic == "New topic"
    assert [i.handle for i in stored.invitees] == ["alice"]
    # Each stored change is a new version of the calendar event.
    assert stored.sequence == before.sequence + 2


async def test_two_invites_at_once_invite_both(bridge: Bridge) -> None:
    await bridge.say("tomorrow 15:00 Review")

    await _second_while_first_is_held(bridge, "invite 1 @alice", "invite 1 @bob")

    stored = await bridge.stored()
    assert [i.handle for i in stored.invitees] == ["alice", "bob"]


async def test_an_uninvite_waiting_on_an_edit_keeps_the_topic(bridge: Bridge) -> None:
    await bridge.say("tomorrow 15:00 Review @alice")

    await _second_while_first_is_held(bridge, "edit 1 New topic", "uninvite 1 @alice")

    stored = await bridge.stored()
    assert stored.topic == "New topic"
    assert stored.invitees == ()


async def _second_while_first_asks_the_server(
    bridge: Bridge, first: str, call: str, second: str
) -> Reply:
    """``second`` runs to its end while ``first`` waits in ``call`` to the
    server; its reply (``first`` did not fail)."""
    bridge.backend.hold = call
    held = asyncio.ensure_future(bridge.say(first))
    await asyncio.wait_for(bridge.backend.inside.wait(), 20)
    other = await bridge.say(second)
    bridge.backend.resume.set()
    reply = await asyncio.wait_for(held, 30)
    assert not reply.is_error, reply.plain_text()
    return other


@pytest.mark.parametrize("second", ["invite 1 @alice", "edit 1 New topic"])
async def test_a_change_while_a_cancel_asks_the_server_is_told_it_was_cancelled(
    bridge: Bridge, second: str
) -> None:
    await bridge.say("tomorrow 15:00 Review")

    reply = await _second_while_first_asks_the_server(bridge, "cancel 1", "delete", second)

    assert "was cancelled" in reply.plain_text()
    stored = await bridge.stored()
    assert stored.status is MeetingStatus.CANCELLED
    assert stored.topic == "Review"
    assert stored.invitees == ()


@pytest.mark.parametrize("second", ["invite 1 @alice", "edit 1 New topic", "cancel 1"])
async def test_info_storing_new_join_details_keeps_what_changed_meanwhile(
    bridge: Bridge, second: str
) -> None:
    await bridge.say("tomorrow 15:00 Review")
    bridge.backend.page_url = "https://fake.test/moved"

    reply = await _second_while_first_asks_the_server(bridge, "info 1", "get", second)

    assert not reply.is_error, reply.plain_text()

    stored = await bridge.stored()
    assert stored.join.page_url == "https://fake.test/moved"
    if second.startswith("invite"):
        assert [i.handle for i in stored.invitees] == ["alice"]
    elif second.startswith("edit"):
        assert stored.topic == "New topic"
    else:
        assert stored.status is MeetingStatus.CANCELLED


@pytest.mark.parametrize("second", ["cancel 1", "info 1", "remind 1 10m"])
async def test_a_writer_waiting_on_an_edit_keeps_its_topic(bridge: Bridge, second: str) -> None:
    await bridge.say("tomorrow 15:00 Review @alice")
    bridge.backend.page_url = "https://fake.test/moved"  # info stores the join details

    await _second_while_first_is_held(bridge, "edit 1 New topic", second)

    stored = await bridge.stored()
    assert stored.topic == "New topic"
    assert [i.handle for i in stored.invitees] == ["alice"]


async def test_a_remind_waiting_on_an_invite_keeps_the_invitee(bridge: Bridge) -> None:
    await bridge.say("tomorrow 15:00 Review")
    before = await bridge.stored()

    await _second_while_first_is_held(bridge, "invite 1 @alice", "remind 1 10m")

    stored = await bridge.stored()
    assert [i.handle for i in stored.invitees] == ["alice"]
    assert stored.reminders == (timedelta(minutes=10),)
    assert stored.sequence == before.sequence + 2


async def test_a_remind_waiting_on_a_cancel_is_told_it_was_cancelled(bridge: Bridge) -> None:
    await bridge.say("tomorrow 15:00 Review")
    before = await bridge.stored()

    reply = await _second_waiting_on_the_first(bridge, "cancel 1", "remind 1 10m")

    assert "was cancelled" in reply.plain_text()
    stored = await bridge.stored()
    assert stored.status is MeetingStatus.CANCELLED
    assert stored.reminders == before.reminders


async def test_a_cancel_while_another_asks_the_server_is_told_it_is_already_cancelled(
    bridge: Bridge,
) -> None:
    await bridge.say("tomorrow 15:00 Review")
    bridge.backend.calls.clear()
    bridge.backend.hold = "delete"
    first = asyncio.ensure_future(bridge.say("cancel 1"))
    await asyncio.wait_for(bridge.backend.inside.wait(), 20)

    second = await bridge.say("cancel 1")
    bridge.backend.resume.set()
    reply = await asyncio.wait_for(first, 30)

    assert not reply.is_error, reply.plain_text()
    assert "already cancelled" in second.plain_text()
    # The second asks the server too (a repeat heals a cancel cut off before
    # it); the first then finds the conference gone, which it takes as done.
    assert bridge.backend.conferences == {}
    assert (await bridge.stored()).status is MeetingStatus.CANCELLED


async def test_a_cancel_waiting_on_a_cancel_is_told_it_is_already_cancelled(
    bridge: Bridge,
) -> None:
    await bridge.say("tomorrow 15:00 Review")
    bridge.backend.calls.clear()

    reply = await _second_waiting_on_the_first(bridge, "cancel 1", "cancel 1")

    assert "already cancelled" in reply.plain_text()
    assert bridge.backend.conferences == {}


async def test_a_cancel_cut_off_before_the_server_is_healed_by_cancelling_again(
    bridge: Bridge,
) -> None:
    # A process killed between the cancel's mark and its server call left the
    # conference on the server with the meeting shown cancelled; cancelling
    # again answered "already cancelled" and never asked the server.
    await bridge.say("tomorrow 15:00 Review")
    async with bridge.factory() as uow:
        meeting = await uow.meetings.get_for_update(1)
        assert meeting is not None
        await uow.meetings.save(meeting.with_changes(status=MeetingStatus.CANCELLED))
        await uow.commit()
    assert bridge.backend.conferences

    reply = await bridge.say("cancel 1")

    assert "already cancelled" in reply.plain_text()
    assert bridge.backend.conferences == {}


async def test_a_cancel_the_server_refuses_leaves_the_meeting_scheduled(bridge: Bridge) -> None:
    await bridge.say("tomorrow 15:00 Review")
    bridge.backend.fail_calls["delete"] = BackendError("internalError", status=500)

    refused = await bridge.say("cancel 1")

    assert refused.is_error
    assert (await bridge.stored()).status is MeetingStatus.SCHEDULED
    del bridge.backend.fail_calls["delete"]
    reply = await bridge.say("cancel 1")
    assert "already cancelled" not in reply.plain_text()
    assert (await bridge.stored()).status is MeetingStatus.CANCELLED


async def test_a_start_the_cancel_overtook_leaves_the_meeting_cancelled(bridge: Bridge) -> None:
    await bridge.say("tomorrow 15:00 Review")

    bridge.backend.hold = "started"
    start = asyncio.ensure_future(bridge.say("start 1"))
    await asyncio.wait_for(bridge.backend.inside.wait(), 20)
    cancel = await bridge.say("cancel 1")
    bridge.backend.resume.set()
    reply = await asyncio.wait_for(start, 30)

    assert not cancel.is_error, cancel.plain_text()
    assert "was cancelled" in reply.plain_text()
    stored = await bridge.stored()
    assert stored.status is MeetingStatus.CANCELLED
    assert stored.state is not LiveState.RUNNING


async def test_a_running_state_is_not_recorded_for_a_cancelled_meeting(bridge: Bridge) -> None:
    """The live poller's record, written after a cancel it read before."""
    await bridge.say("tomorrow 15:00 Review")
    await bridge.say("cancel 1")

    async with bridge.factory() as uow:
        await uow.meetings.record_state(1, LiveState.RUNNING, since=NOW, people_in=2)
        await uow.commit()

    stored = await bridge.stored()
    assert stored.state is not LiveState.RUNNING
    assert stored.people_in is None


async def _pending(bridge: Bridge) -> set[tuple[str, str, int]]:
    """The meeting's pending ledger rows: (kind, occurrence, offset)."""
    async with bridge.engine.connect() as connection:
        rows = await connection.execute(
            text(
                "SELECT kind, occurrence_start, offset_seconds FROM scheduled_actions "
                "WHERE meeting_id = 1 AND status = 'pending'"
            )
        )
        return {(str(kind), str(start), int(offset)) for kind, start, offset in rows}


@pytest.mark.parametrize("lines", [("now Sync",), ("tomorrow 15:00 Review", "start 1")])
async def test_a_cancel_the_server_refuses_keeps_the_meetings_watch(
    watching: Bridge, lines: tuple[str, ...]
) -> None:
    """A meeting under way (its card watched since it started) is still
    watched when the server refuses its cancel: the cancel's rows are put
    back as they were, not planned again from now, which has no start left
    to watch (the card stayed as it was, for good)."""
    bridge = watching
    for line in lines:
        assert not (await bridge.say(line)).is_error
    before = await _pending(bridge)
    assert any(kind == "live" for kind, _, _ in before), before
    bridge.backend.fail_calls["delete"] = BackendError("internalError", status=500)

    refused = await bridge.say("cancel 1")

    assert refused.is_error
    assert (await bridge.stored()).status is MeetingStatus.SCHEDULED
    assert await _pending(bridge) == before
