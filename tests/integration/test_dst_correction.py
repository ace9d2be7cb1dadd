"""A weekly rule TrueConf keeps in its own zone, kept in step with the
meeting's zone by the ledger: for every pair of the matrix's zones (the
person's and the server's) and two meetings near midnight (their days move
on the server), a year of the bridge is run on an injected clock, and what
the sandbox holds is read over HTTP before and after each correction. Every
week the server's next start, the reminder, the card and the calendar agree
with the person's own rule; where the two zones change clocks on different
dates, one ``PUT`` per change moved the server's rule, and the chat was told
once each time. The whole path is real: the TrueConf client over loopback to
its sandbox, ledger rows in SQLite and PostgreSQL, the claim store and the
action performer; the expected instants are computed here with ``zoneinfo``
alone."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from itertools import islice
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from icalendar import Calendar
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.console.messenger import ConsoleMessenger
from adapters.console.texts import chat_lang
from adapters.trueconf.backend import TrueConfBackend
from adapters.trueconf.sandbox import SandboxServer
from bot import formatting
from bot.calendars.files import CalendarFiles
from bot.chat import ChatRef, Standing, UserRef
from bot.clock import FrozenClock
from bot.commands import CommandInput
from bot.ports.ledger import ActionKind, ClaimedAction, Finished
from bot.reminders.delivery import ActionPerformer, DeliveryPolicy, Done
from bot.reply import Capabilities, Reply
from meetbridge.compose import App, build_app
from meetbridge.config import load_config
from storage.claims import SqlClaimStore
from storage.db import build_engine, build_session_factory
from storage.models import ScheduledActionRow
from tests.support.edges import trueconf_of

pytestmark = pytest.mark.timeout(300)

# Both hemispheres' DST, a zone without DST at a whole hour and one at a half
# hour (Tehran, +03:30, no DST since 2022), and UTC.
ZONES = [
    "Europe/London",
    "Europe/Moscow",
    "America/New_York",
    "Australia/Sydney",
    "Asia/Tehran",
    "UTC",
]
# Every change of the clocks in 2026, both ways: New York 8 Mar and 1 Nov,
# London 29 Mar and 25 Oct, Sydney 5 Apr and 4 Oct.
CREATED = datetime(2026, 2, 20, 12, 0, tzinfo=UTC)
UNTIL = datetime(2026, 11, 16, 0, 0, tzinfo=UTC)
# Near midnight both ways: a server east or west of the person moves the
# days. The first is reminded 10 minutes before each start, the second not
# (a correction needs no reminder to roll it forward).
RULES = [("mon", 0, time(0, 30), "10m"), ("fri", 4, time(23, 30), "off")]
LEASE = timedelta(minutes=1)
SPEAKER = UserRef("console", "local", "helen", "Helen")


def starts(zone: str, weekday: int, at: time) -> list[datetime]:
    """The person's rule, by hand: each such weekday's wall-clock time in their zone."""
    tz = ZoneInfo(zone)
    day = CREATED.astimezone(tz).date()
    found: list[datetime] = []
    while day <= UNTIL.date():
        if day.weekday() == weekday:
            instant = datetime.combine(day, at, tzinfo=tz).astimezone(UTC)
            if CREATED < instant < UNTIL:
                found.append(instant)
        day += timedelta(days=1)
    return found


def changes(zone: str, server_zone: str, occurrences: list[datetime]) -> list[int]:
    """The occurrences at which the two zones' offsets differ by another
    amount than at the one before (their indices): the corrections needed."""

    def difference(instant: datetime) -> timedelta:
        here = instant.astimezone(ZoneInfo(zone)).utcoffset()
        there = instant.astimezone(ZoneInfo(server_zone)).utcoffset()
        assert here is not None
        assert there is not None
        return there - here

    return [
        index
        for index in range(1, len(occurrences))
        if difference(occurrences[index]) != difference(occurrences[index - 1])
    ]


@dataclass
class Tracked:
    """One meeting of the run and what is known of it."""

    id: int
    conference_id: str
    chat: ChatRef
    zone: str
    occurrences: list[datetime]
    corrections: int = 0
    checked: int = 0
    reminded: bool = False
    # Where the card and the calendar are read too: the first and last
    # weeks, and the weeks on either side of each correction.
    shown: set[datetime] = field(default_factory=set)


@dataclass
class Year:
    app: App
    sandbox: SandboxServer
    clock: FrozenClock
    store: SqlClaimStore
    performer: ActionPerformer
    chat_out: io.StringIO
    server_zone: str
    sessions: async_sessionmaker[AsyncSession]
    meetings: dict[int, Tracked] = field(default_factory=dict)

    @property
    def backend(self) -> TrueConfBackend:
        return trueconf_of(self.app)[0]

    async def say(self, chat: ChatRef, text: str) -> Reply:
        command_input = CommandInput(
            text=text, chat=chat, user=SPEAKER, standing=Standing.WORKSPACE_ADMIN
        )
        return await self.app.service.handle(command_input, Capabilities())

    async def server_start(self, meeting: Tracked) -> datetime:
        """The next start the server computes for the conference, read over HTTP."""
        conference = await self.backend.client.get_conference(meeting.conference_id)
        schedule = conference["schedule"]
        assert schedule["type"] == 0
        return datetime.fromtimestamp(schedule["start_time"], UTC)

    async def run_until(self, moment: datetime) -> None:
        """Do what the dispatcher does with every row due up to ``moment``, each
        at its own time: claim, carry out, record (and plan what follows)."""
        while (due := await self.store.next_available()) is not None and due <= moment:
            self.clock.set(max(due, self.clock.now()))
            for action in await self.store.claim("test", self.clock.now(), LEASE, 100):
                await self.perform(action)
        self.clock.set(moment)

    async def perform(self, action: ClaimedAction) -> None:
        meeting = self.meetings[action.meeting_id]
        correcting = action.kind is ActionKind.CORRECT
        if correcting:
            before = await self.server_start(meeting)
        outcome = await self.performer.perform(action)
        assert isinstance(outcome, Done), outcome
        if correcting:
            after = await self.server_start(meeting)
            occurrence = action.occurrence_start
            # Held before: the old rule, which starts this occurrence off the
            # person's time; held after: the person's time.
            assert (before != occurrence, after) == (True, occurrence), (meeting, occurrence)
            meeting.corrections += 1
        finished = Finished(
            action.id, action.meeting_id, outcome.status, outcome.error, outcome.following
        )
        assert await self.store.finish_many("test", [finished], self.clock.now()) == 1

    async def check_week(self, meeting: Tracked, occurrence: datetime) -> None:
        """A minute before the start: the server, the card and the calendar
        all name this very start."""
        assert await self.server_start(meeting) == occurrence, (meeting.zone, occurrence)
        meeting.checked += 1
        if occurrence not in meeting.shown:
            return
        card = (await self.say(meeting.chat, f"info {meeting.id}")).plain_text()
        assert formatting.when(occurrence, meeting.zone, "en") in card, card
        calendar = await CalendarFiles(self.app.deps).file_of(meeting.id)
        assert calendar is not None
        events = recurring_ical_events.of(Calendar.from_ical(calendar.content))
        [event] = islice(events.after(self.clock.now()), 1)
        assert event.decoded("dtstart").astimezone(UTC) == occurrence

    async def reminded(self, meeting: Tracked) -> list[datetime]:
        row = ScheduledActionRow
        async with self.sessions() as session:
            found = await session.scalars(
                select(row.occurrence_start)
                .where(row.meeting_id == meeting.id, row.kind == "remind", row.status == "sent")
                .order_by(row.occurrence_start)
            )
            return [instant.astimezone(UTC) for instant in found]


@pytest.fixture(params=ZONES)
async def year(request: pytest.FixtureRequest, database_url: str) -> AsyncIterator[Year]:
    server_zone: str = request.param
    clock = FrozenClock(CREATED)
    settings = load_config(
        env_file=None,
        database_url=database_url,
        trueconf_server_url="sandbox",
        trueconf_owner="helen",
        trueconf_server_timezone=server_zone,
        reminder_default_offsets="10m",
        # The rule's corrections alone: no live card watching each run.
        live_poll_seconds=0,
    )
    engine = build_engine(database_url)
    try:
        async with build_app(settings, clock=clock) as app:
            sandbox = trueconf_of(app)[1].sandbox
            assert sandbox is not None
            sandbox.state.clock = clock  # the server's "next start" on the same clock
            out = io.StringIO()
            app.messengers.register(ConsoleMessenger(out, chat_lang(app.deps.uow, "en")))
            sessions = build_session_factory(engine)
            store = SqlClaimStore(sessions)
            performer = ActionPerformer(app.deps, app.messengers, DeliveryPolicy())
            yield Year(app, sandbox, clock, store, performer, out, server_zone, sessions)
    finally:
        await engine.dispose()


async def test_a_year_of_weekly_meetings_in_every_zone_against_one_server(year: Year) -> None:
    expected_changes: dict[int, int] = {}
    for number, zone in enumerate(ZONES):
        chat = ChatRef("console", "local", f"team-{number}")
        await year.say(chat, f"tz {zone}")
        for word, weekday, at, remind in RULES:
            # The zone in the topic's middle: at its end it reads as a zone
            # written beside the time, and is asked about.
            topic = f"Sync {zone} {word}"
            await year.say(chat, f"remind default {remind}")
            reply = await year.say(chat, f"weekly {word} {at:%H:%M} for 30m {topic}")
            assert not reply.is_error, reply.plain_text()
            [stored] = [m for m in await _chat_meetings(year, chat) if m.topic == topic]
            assert stored.id is not None
            occurrences = starts(zone, weekday, at)
            tracked = Tracked(stored.id, stored.conference_id, chat, zone, occurrences)
            tracked.reminded = remind != "off"
            expected = changes(zone, year.server_zone, occurrences)
            tracked.shown = {occurrences[0], occurrences[-1]}
            tracked.shown.update(occurrences[i + d] for i in expected for d in (-1, 0))
            year.meetings[stored.id] = tracked
            expected_changes[stored.id] = len(expected)
            notes = " ".join(note.plain_text() for note in reply.private_notes)
            # The creator hears at once that the bridge will keep it right.
            assert ("the bridge will move the" in notes) == (expected_changes[stored.id] > 0)

    timeline = sorted((o, m.id) for m in year.meetings.values() for o in m.occurrences)
    for occurrence, meeting_id in timeline:
        await year.run_until(occurrence - timedelta(minutes=1))
        await year.check_week(year.meetings[meeting_id], occurrence)
    await year.run_until(UNTIL)

    puts = [e for e in year.sandbox.state.request_log if e.endpoint == "PUT /conferences/{id}"]
    for meeting in year.meetings.values():
        assert meeting.checked == len(meeting.occurrences) > 35
        assert meeting.corrections == expected_changes[meeting.id], meeting
        # The reminders came before the very starts the server used.
        reminded = await year.reminded(meeting)
        assert reminded == (meeting.occurrences if meeting.reminded else [])
    # One PUT per change of the clocks, each told once in the meeting's chat.
    assert len(puts) == sum(expected_changes.values())
    told = year.chat_out.getvalue().count("so the bridge moved the server's rule")
    assert told == sum(expected_changes.values())
    if year.server_zone in ("Europe/London", "America/New_York", "Australia/Sydney"):
        assert puts, "a server zone with DST needs corrections for someone"


async def _chat_meetings(year: Year, chat: ChatRef):  # type: ignore[no-untyped-def]
    async with year.app.deps.uow(transaction=False) as uow:
        return await uow.meetings.list_active(chat)


def test_the_matrix_expects_changes_both_ways() -> None:
    """The expectation itself: London against Moscow changes twice a year,
    Sydney against New York four times, Tehran against Moscow never."""
    mondays = starts("Europe/London", 0, time(0, 30))
    assert len(changes("Europe/London", "Europe/Moscow", mondays)) == 2
    sydney = starts("Australia/Sydney", 0, time(0, 30))
    assert len(changes("Australia/Sydney", "America/New_York", sydney)) == 4
    tehran = starts("Asia/Tehran", 0, time(0, 30))
    assert changes("Asia/Tehran", "Europe/Moscow", tehran) == []
