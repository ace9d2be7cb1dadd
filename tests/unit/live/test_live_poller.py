"""The live card's poller on fakes: the card is edited exactly when what it
shows changes, a card that cannot be edited is forgotten quietly, a rate
limit is waited out, the summary and the idle note go out once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.chat import ChatRef, Platform, UserRef
from bot.clock import FrozenClock
from bot.commands import CommandInput, StopMeeting
from bot.context import Deps
from bot.errors import DeliveryError
from bot.live.book import card_posted
from bot.live.model import Activity, CallLog, LiveConfig, LiveRecord, Participant, Recording
from bot.live.poller import LivePoller
from bot.live.progress import advance
from bot.meeting import LiveState
from bot.messengers import Messengers
from bot.ports import ChatSettings
from bot.ports.ledger import ActionKind, ClaimedAction
from bot.reminders.delivery import ActionPerformer, DeliveryPolicy
from bot.reply import ActionKind as Button
from bot.reply import Actions, Capabilities, Reply
from bot.service import CommandService
from tests.fakes import FakeBackend, MemoryUnitOfWorkFactory, fake_deps

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
CONFIG = LiveConfig(poll=timedelta(seconds=30), idle=timedelta(minutes=30))
ALICE, BOB = Participant("Alice Archer"), Participant("Bob Baker")
GUEST = Participant("visitor", guest=True)


@dataclass
class FakeActivity:
    """The server's side: what runs and who is in, and how often it was asked."""

    now: Activity = field(default_factory=lambda: Activity(False))
    logs: list[CallLog] = field(default_factory=list)
    records: list[Recording] = field(default_factory=list)
    asked: int = 0

    async def present(self, conference_id: str) -> Activity:
        self.asked += 1
        return self.now

    async def calls(self, conference_id: str, since: datetime) -> Sequence[CallLog]:
        return [c for c in self.logs if c.started is None or c.started >= since]

    async def recordings(self, conference_id: str) -> Sequence[Recording]:
        return self.records


@dataclass
class EditingMessenger:
    """Records posts and edits; ``refuse`` makes the next edit fail."""

    sent: list[Reply] = field(default_factory=list)
    edits: list[tuple[str, Reply]] = field(default_factory=list)
    refuse: DeliveryError | None = None

    @property
    def platform(self) -> Platform:
        return "console"

    deliverable = True  # any process posts through it

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(buttons=True, edits=True)

    async def send(self, chat: ChatRef, reply: Reply) -> None:
        self.sent.append(reply)

    async def edit(self, chat: ChatRef, message_id: str, reply: Reply) -> None:
        if self.refuse is not None:
            refusal, self.refuse = self.refuse, None
            raise refusal
        self.edits.append((message_id, reply))


@dataclass
class World:
    deps: Deps
    clock: FrozenClock
    server: FakeActivity
    messenger: EditingMessenger
    poller: LivePoller
    meeting_id: int

    async def poll(self) -> datetime | None:
        async with self.deps.uow() as uow:
            meeting = await uow.meetings.get(self.meeting_id)
        assert meeting is not None
        now = self.clock.now()
        watch = await self.poller.poll(meeting, meeting.created_at, ChatSettings(), now)
        return watch.next_at

    def later(self, seconds: float = 30) -> None:
        self.clock.advance(timedelta(seconds=seconds))

    async def record(self) -> LiveRecord:
        async with self.deps.uow() as uow:
            record = await uow.live.get(self.meeting_id)
        assert record is not None
        return record

    def texts(self) -> list[str]:
        return [reply.plain_text() for _, reply in self.messenger.edits]


@pytest.fixture
async def world() -> World:
    server = FakeActivity(Activity(True))
    backend = FakeBackend("trueconf")
    backend.activity = server
    deps = replace(fake_deps(backend, [], NOW), live=CONFIG)
    clock = deps.clock
    assert isinstance(clock, FrozenClock)
    service = CommandService(deps)
    chat = ChatRef("console", "local", "room")
    user = UserRef("console", "local", "helen", "helen")
    reply = await service.handle(
        CommandInput(text="now Sync", chat=chat, user=user), Capabilities(buttons=True, edits=True)
    )
    assert reply.card_of is not None, reply.plain_text()
    assert "Running now, nobody in yet" in reply.plain_text()
    uow = deps.uow
    assert isinstance(uow, MemoryUnitOfWorkFactory)
    # The watch of the instant meeting is planned with it.
    assert [a.kind for (_, a) in uow.state.ledger] == [ActionKind.LIVE]
    await card_posted(deps.uow, reply, "m1")
    messenger = EditingMessenger()
    messengers = Messengers()
    messengers.register(messenger)
    return World(deps, clock, server, messenger, LivePoller(deps, messengers), reply.card_of)


async def test_a_meeting_made_now_is_stored_as_its_first_poll_would_leave_it(
    world: World,
) -> None:
    """The bridge has just started the conference, nobody in: the record,
    the list's state and the card say so from the start, and the first poll
    waits a poll interval (one at once only ever found the empty room)."""
    uow = world.deps.uow
    assert isinstance(uow, MemoryUnitOfWorkFactory)
    [(_, watch)] = uow.state.ledger
    assert watch.fire_at == NOW + CONFIG.poll
    assert watch.occurrence_start == NOW  # the run it watches began at creation
    stored = await world.record()
    as_polled = advance(
        LiveRecord(world.meeting_id, chat_key=stored.chat_key, shown=stored.shown),
        Activity(True),
        now=NOW,
        window_end=NOW,
        config=CONFIG,
    ).record
    assert replace(stored, message_id="") == as_polled
    assert stored.running_since == stored.empty_since == NOW
    async with world.deps.uow() as work:
        meeting = await work.meetings.get(world.meeting_id)
    assert meeting is not None
    assert (meeting.state, meeting.state_since, meeting.people_in) == (LiveState.RUNNING, NOW, 0)


async def test_an_empty_meeting_made_now_is_noted_idle_from_its_creation(world: World) -> None:
    """The idle clock starts when the meeting was made, not at its first poll."""
    polls = int(CONFIG.idle / CONFIG.poll)
    for _ in range(polls - 1):
        world.later()
        await world.poll()
    assert world.messenger.sent == []
    world.later()  # IDLE_STOP_MINUTES after creation
    await world.poll()
    [note] = world.messenger.sent
    assert "running with nobody in for 30 min" in note.plain_text()
    assert world.server.asked == polls  # no poll at creation


async def test_the_card_is_edited_on_a_join_and_not_when_nothing_changed(world: World) -> None:
    assert await world.poll() == NOW + CONFIG.poll
    assert world.messenger.edits == []  # running, nobody in: as posted
    world.server.now = Activity(True, (ALICE, GUEST))
    world.later()
    await world.poll()
    [(message, card)] = world.messenger.edits
    assert message == "m1"
    assert card.card_of == world.meeting_id
    assert "Running now: 2 in — Alice Archer, 1 guest" in card.plain_text()
    for _ in range(3):
        world.later()
        await world.poll()
    assert len(world.messenger.edits) == 1  # the same people: no edit
    world.server.now = Activity(True, (GUEST, ALICE, BOB))
    world.later()
    await world.poll()
    assert "3 in — Alice Archer, Bob Baker, 1 guest" in world.texts()[-1]


async def test_the_end_edits_the_card_and_posts_one_summary_from_the_logs(world: World) -> None:
    world.server.now = Activity(True, (ALICE,))
    await world.poll()
    world.server.now = Activity(False)
    world.server.logs = [
        CallLog("s1@h#vcs", NOW, NOW + timedelta(minutes=42), (ALICE, BOB, GUEST, GUEST))
    ]
    world.server.records = [Recording("0001_sync.mkv", NOW + timedelta(minutes=42))]
    world.later()
    assert await world.poll() is None  # nothing more to watch
    assert "■ Ended" in world.texts()[-1]
    assert "is over" in world.texts()[-1]
    [summary] = world.messenger.sent
    text = summary.plain_text()
    assert "has ended" in text
    assert "Lasted: 42 min" in text
    assert "Joined: Alice Archer, Bob Baker, 1 guest" in text
    assert "0001_sync.mkv (kept on the server: ask your admin for it)" in text
    assert (await world.record()).phase is LiveState.ENDED


async def test_a_deleted_card_is_forgotten_quietly(world: World) -> None:
    world.server.now = Activity(True, (ALICE,))
    world.messenger.refuse = DeliveryError("message_not_found", permanent=True)
    await world.poll()
    assert not (await world.record()).tracked
    world.server.now = Activity(True, (ALICE, BOB))
    world.later()
    await world.poll()
    assert world.messenger.edits == []  # never tried again
    assert world.messenger.sent == []  # and nothing said about it


async def test_a_rate_limit_is_waited_out_and_the_edit_made_later(world: World) -> None:
    world.server.now = Activity(True, (ALICE,))
    world.messenger.refuse = DeliveryError("ratelimited", retry_after=90)
    assert await world.poll() == NOW + timedelta(seconds=90)
    assert (await world.record()).tracked
    world.later(90)
    await world.poll()
    assert "1 in — Alice Archer" in world.texts()[-1]


async def test_a_second_poller_within_the_interval_stops(world: World) -> None:
    assert await world.poll() is not None
    world.later(5)  # a duplicate row of the same meeting, claimed elsewhere
    assert await world.poll() is None
    assert world.server.asked == 1  # it did not even ask the server


async def test_an_empty_meeting_gets_one_note_with_a_stop_button(world: World) -> None:
    await world.poll()
    for _ in range(int(CONFIG.idle / CONFIG.poll) + 3):
        world.later()
        await world.poll()
    [note] = world.messenger.sent
    assert "running with nobody in for 30 min" in note.plain_text()
    [buttons] = [b for b in note.blocks if isinstance(b, Actions)]
    [stop] = buttons.items
    assert stop.kind is Button.STOP
    assert stop.command == StopMeeting(str(world.meeting_id))
    # Someone comes and goes: the count starts again, one more note later.
    world.server.now = Activity(True, (BOB,))
    world.later()
    await world.poll()
    world.server.now = Activity(True)
    for _ in range(int(CONFIG.idle / CONFIG.poll) + 2):
        world.later()
        await world.poll()
    assert len(world.messenger.sent) == 2


def test_a_meeting_that_never_ran_stops_being_watched_after_its_end() -> None:
    record = LiveRecord(1)
    end = NOW + timedelta(hours=1)
    waiting = advance(record, Activity(False), now=NOW, window_end=end, config=CONFIG)
    assert not waiting.finished
    assert waiting.view.phase is LiveState.SCHEDULED
    over = advance(record, Activity(False), now=end, window_end=end, config=CONFIG)
    assert over.finished
    assert not over.ended


async def test_info_shows_what_the_live_card_shows(world: World) -> None:
    world.server.now = Activity(True, (ALICE, GUEST))
    await world.poll()
    reply = await CommandService(world.deps).handle(
        CommandInput(
            text=f"info {world.meeting_id}",
            chat=ChatRef("console", "local", "room"),
            user=UserRef("console", "local", "helen", "helen"),
        ),
        Capabilities(buttons=True, edits=True),
    )
    assert "Running now: 2 in — Alice Archer, 1 guest" in reply.plain_text()


async def test_a_reminder_says_what_the_live_card_shows(world: World) -> None:
    world.server.now = Activity(True, (ALICE,))
    await world.poll()
    messengers = Messengers()
    messengers.register(world.messenger)
    performer = ActionPerformer(world.deps, messengers, DeliveryPolicy())
    reminder = ClaimedAction(
        id=1,
        meeting_id=world.meeting_id,
        kind=ActionKind.REMIND,
        occurrence_start=NOW + timedelta(minutes=10),
        offset=timedelta(minutes=10),
        recipient="console:local:room",
        fire_at=NOW,
        attempts=1,
    )
    await performer.perform(reminder)
    [sent] = world.messenger.sent
    assert "Reminder: #" in sent.plain_text()
    assert "Running now: 1 in — Alice Archer" in sent.plain_text()
