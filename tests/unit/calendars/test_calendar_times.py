"""The .ics the bridge makes gives, expanded by a calendar library
(recurring-ical-events), the very instants the conference server runs the
meeting at: the next 60 occurrences, for every pair of the time matrix's
zones (the person's and the server's), across DST in both. The server holds
the rule in its own zone, corrected by the ledger's ``correct`` rows at each
change of either zone's clocks."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from itertools import islice, product
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from icalendar import Calendar

from bot.calendars.event import CalendarEvent, calendar_event
from bot.calendars.ics import ics_file
from bot.chat import ChatRef, UserRef
from bot.i18n import Translator
from bot.meeting import Meeting
from bot.reminders.plan import Timing, correction
from bot.schedule import Once, Weekday, Weekly
from bot.timerules import (
    local_to_utc,
    next_weekly_occurrence,
    weekly_in_server_zone,
    weekly_occurrences,
)

# The time matrix (tests/unit/core/test_timerules.py): zones with DST in
# either hemisphere, one without DST and UTC.
ZONES = ["Europe/Berlin", "Europe/Moscow", "America/New_York", "Australia/Sydney", "UTC"]
RULES = [
    (frozenset({Weekday.MONDAY}), time(10, 0)),
    (frozenset({Weekday.MONDAY, Weekday.WEDNESDAY, Weekday.FRIDAY}), time(0, 30)),
    (frozenset({Weekday.SUNDAY}), time(2, 30)),  # inside a DST gap some Sundays
    (frozenset(Weekday), time(23, 45)),
]
# Made in winter, near the European spring change, and in the southern spring.
CREATED = [
    datetime(2026, 1, 15, 9, 0, tzinfo=UTC),
    datetime(2026, 3, 27, 12, 0, tzinfo=UTC),
    datetime(2026, 10, 2, 18, 0, tzinfo=UTC),
]
COUNT = 60


def _meeting(schedule: Weekly | Once, created: datetime) -> Meeting:
    return Meeting(
        backend="trueconf",
        conference_id="0042",
        chat=ChatRef("console", "local", "room"),
        creator=UserRef("console", "local", "helen", "helen"),
        topic="Standup",
        schedule=schedule,
        duration=timedelta(minutes=30),
        owner_login="helen",
        created_at=created,
        uid="5f0c8f5e-1111-4c2b-9a77-000000000042",
        id=42,
    )


def _event(meeting: Meeting) -> CalendarEvent:
    event = calendar_event(
        meeting, t=Translator("en"), host="bridge.example.com", default_duration=timedelta(hours=1)
    )
    assert event is not None
    return event


def _expanded(ics: bytes, after: datetime, count: int) -> list[tuple[datetime, datetime]]:
    calendar = Calendar.from_ical(ics)
    # In order of start, from the first one after ``after``.
    found = islice(recurring_ical_events.of(calendar).after(after), count)
    return [
        (e.decoded("dtstart").astimezone(UTC), e.decoded("dtend").astimezone(UTC)) for e in found
    ]


def _server_runs(rule: Weekly, server_zone: str, created: datetime) -> list[datetime]:
    """What TrueConf runs: the rule as the bridge sent it (translated into the
    server's zone when the meeting was made), expanded in the server's zone as
    the sandbox does, and replaced at each ``correct`` row's fire time by the
    translation the performer computes then (the next row planned after it)."""
    meeting = _meeting(rule, created)
    timing = Timing(activation_lead=None, server_zone=server_zone)
    held = weekly_in_server_zone(rule, server_zone, created)
    pending = correction(meeting, created, timing)
    cursor, starts = created, list[datetime]()
    while len(starts) < COUNT:
        server_rule = Weekly(frozenset(held.days), held.time, server_zone)
        upcoming = next_weekly_occurrence(server_rule, cursor)
        if pending is not None and pending.fire_at <= upcoming:
            held = weekly_in_server_zone(rule, server_zone, pending.fire_at)
            cursor = pending.fire_at
            pending = correction(meeting, pending.occurrence_start, timing)
            continue
        starts.append(upcoming)
        cursor = upcoming
    return starts


@pytest.mark.parametrize(("zone", "server_zone"), list(product(ZONES, ZONES)), ids=str)
def test_weekly_ics_gives_the_servers_instants(zone: str, server_zone: str) -> None:
    for (days, at), created in product(RULES, CREATED):
        rule = Weekly(days, at, zone)
        ics = ics_file(_event(_meeting(rule, created)), now=created)
        expected = weekly_occurrences(rule, created, COUNT)  # the person's own rule
        assert _server_runs(rule, server_zone, created) == expected, (days, at, created)
        spans = _expanded(ics, created, COUNT)
        assert [start for start, _ in spans] == expected, (days, at, created)
        assert all(end - start == timedelta(minutes=30) for start, end in _steady(spans, zone))


def _steady(spans: list[tuple[datetime, datetime]], zone: str) -> list[tuple[datetime, datetime]]:
    """Occurrences that do not straddle a change of the clocks: across one,
    calendar programs differ on whether DTEND − DTSTART is wall-clock or
    exact time (the library used here counts wall-clock)."""
    tz = ZoneInfo(zone)
    hour = timedelta(hours=1)
    return [
        (s, e)
        for s, e in spans
        if (s - hour).astimezone(tz).utcoffset() == (e + hour).astimezone(tz).utcoffset()
    ]


@pytest.mark.parametrize("zone", ZONES)
def test_a_bridge_timed_room_follows_the_persons_rule(zone: str) -> None:
    """Callaba keeps no schedule: the bridge switches the room on by the
    person's own rule, and the calendar says the same."""
    for (days, at), created in product(RULES, CREATED):
        rule = Weekly(days, at, zone)
        ics = ics_file(_event(_meeting(rule, created)), now=created)
        starts = [start for start, _ in _expanded(ics, created, COUNT)]
        assert starts == weekly_occurrences(rule, created, COUNT)


@pytest.mark.parametrize("zone", ZONES)
def test_a_one_time_meeting_is_one_event_at_its_instant(zone: str) -> None:
    start = local_to_utc(datetime(2026, 7, 1).date(), time(15, 0), zone)
    meeting = _meeting(Once(start, zone), CREATED[0])
    ics = ics_file(_event(meeting), now=CREATED[0])
    assert _expanded(ics, CREATED[0], COUNT) == [(start, start + timedelta(minutes=30))]
