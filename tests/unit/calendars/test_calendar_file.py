"""What the bridge's .ics says, and its Google and Outlook links."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from urllib.parse import parse_qs, urlsplit

from icalendar import Calendar, Event

from bot.calendars.event import CalendarEvent, calendar_event
from bot.calendars.ics import ics_file
from bot.calendars.links import google_url, outlook_url
from bot.chat import ChatRef, UserRef
from bot.i18n import Translator
from bot.meeting import JoinInfo, Meeting, MeetingStatus
from bot.schedule import Once, Weekday, Weekly

CREATED = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # a Monday
JOIN = JoinInfo(
    page_url="https://video.example.com/c/0042",
    browser_url="https://video.example.com/webrtc/0042",
    app_deeplink="trueconf:c/0042@video.example.com#vcs",
    android_intent="intent://c/0042@video.example.com#Intent;scheme=trueconf;end",
    sip=("0042@video.example.com",),
    sip_external="sip:0042@203.0.113.1",
    h323=("h323:0042@video.example.com",),
)
UID = "5f0c8f5e-1111-4c2b-9a77-000000000042"


def _meeting(schedule: Weekly | Once, **changes: object) -> Meeting:
    meeting = Meeting(
        backend="trueconf",
        conference_id="0042",
        chat=ChatRef("console", "local", "room"),
        creator=UserRef("console", "local", "helen", "helen"),
        topic="Standup; R&D",
        schedule=schedule,
        duration=timedelta(minutes=45),
        owner_login="helen",
        created_at=CREATED,
        join=JOIN,
        uid=UID,
        sequence=3,
        reminders=(timedelta(minutes=10), timedelta(hours=1)),
        id=42,
    )
    return meeting.with_changes(**changes)


def _event(meeting: Meeting, lang: str = "en") -> CalendarEvent:
    event = calendar_event(
        meeting,
        t=Translator(lang),  # type: ignore[arg-type]
        host="bridge.example.com",
        default_duration=timedelta(hours=1),
    )
    assert event is not None
    return event


WEEKLY = Weekly(frozenset({Weekday.MONDAY, Weekday.WEDNESDAY}), time(10, 0), "Europe/Berlin")


def _vevent(ics: bytes) -> tuple[Calendar, Event]:
    calendar = Calendar.from_ical(ics)
    [event] = calendar.events
    return calendar, event


def test_the_file_is_a_published_event_with_its_zone_and_rule() -> None:
    calendar, event = _vevent(ics_file(_event(_meeting(WEEKLY)), now=CREATED))
    assert calendar["METHOD"] == "PUBLISH"
    [zone] = calendar.walk("VTIMEZONE")
    assert zone["TZID"] == "Europe/Berlin"
    assert event["UID"] == f"{UID}@bridge.example.com"
    assert event["SEQUENCE"] == 3
    assert event["STATUS"] == "CONFIRMED"
    assert event["SUMMARY"] == "Standup; R&D"
    assert event["URL"] == JOIN.page_url
    start = event.decoded("DTSTART")
    assert str(start.tzinfo) == "Europe/Berlin"
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert start == datetime(2026, 11, 23, 10, 0, tzinfo=start.tzinfo)  # Monday 10:00 Berlin
    assert event.decoded("DTEND") - start == timedelta(minutes=45)
    assert event["RRULE"].to_ical() == b"FREQ=WEEKLY;BYDAY=MO,WE"
    description = str(event["DESCRIPTION"])
    for way in (JOIN.page_url, JOIN.browser_url, JOIN.app_deeplink, JOIN.android_intent):
        assert way in description
    for way in (*JOIN.sip, JOIN.sip_external, *JOIN.h323):
        assert way in description
    # The reminder that fires first: an hour before.
    [alarm] = event.walk("VALARM")
    assert alarm.decoded("TRIGGER") == -timedelta(hours=1)


def test_the_description_speaks_the_chats_language() -> None:
    _, event = _vevent(ics_file(_event(_meeting(WEEKLY), "ru"), now=CREATED))
    assert "Страница конференции" in str(event["DESCRIPTION"])


def test_a_cancelled_meeting_is_a_cancelled_event_without_an_alarm() -> None:
    cancelled = _meeting(WEEKLY, status=MeetingStatus.CANCELLED, sequence=4)
    _, event = _vevent(ics_file(_event(cancelled), now=CREATED))
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 4
    assert event.walk("VALARM") == []


def test_a_meeting_without_reminders_has_no_alarm() -> None:
    _, event = _vevent(ics_file(_event(_meeting(WEEKLY, reminders=())), now=CREATED))
    assert event.walk("VALARM") == []
    assert "RRULE" in event


def _query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query, keep_blank_values=True).items()}


def test_google_link_carries_local_times_zone_and_rule() -> None:
    url = google_url(_event(_meeting(WEEKLY)))
    assert url.startswith("https://calendar.google.com/calendar/render?")
    query = _query(url)
    assert query["action"] == "TEMPLATE"
    assert query["text"] == "Standup; R&D"
    assert query["dates"] == "20261123T100000/20261123T104500"
    assert query["ctz"] == "Europe/Berlin"
    assert query["recur"] == "RRULE:FREQ=WEEKLY;BYDAY=MO,WE"
    assert JOIN.browser_url in query["details"]


def test_a_one_time_meeting_has_no_recurrence_anywhere() -> None:
    start = datetime(2026, 12, 1, 6, 30, tzinfo=UTC)
    event = _event(_meeting(Once(start, "Europe/Moscow")))
    google = _query(google_url(event))
    assert "recur" not in google
    assert google["dates"] == "20261201T093000/20261201T101500"  # Moscow is UTC+3
    assert google["ctz"] == "Europe/Moscow"
    _, vevent = _vevent(ics_file(event, now=CREATED))
    assert "RRULE" not in vevent
    for host in ("outlook.office.com", "outlook.live.com"):
        url = outlook_url(event, host)
        assert url.startswith(f"https://{host}/calendar/0/deeplink/compose?")
        query = _query(url)
        assert query["rru"] == "addevent"
        assert query["subject"] == "Standup; R&D"
        assert datetime.fromisoformat(query["startdt"]) == start
        assert query["startdt"].endswith("+03:00")
        assert datetime.fromisoformat(query["enddt"]) == start + timedelta(minutes=45)


def test_outlook_takes_a_weekly_meeting_as_a_subscription_to_its_ics() -> None:
    event = _event(_meeting(WEEKLY))
    ics = "https://bridge.example.com/ics/42-abc.ics"
    for host in ("outlook.office.com", "outlook.live.com"):
        url = outlook_url(event, host, ics)
        assert url.startswith(f"https://{host}/calendar/0/addfromweb?")
        assert _query(url) == {"url": ics, "name": "Standup; R&D"}
        # Without a public .ics a weekly meeting gets no Outlook link at all,
        # rather than one that lands as a single event.
        assert outlook_url(event, host) == ""
