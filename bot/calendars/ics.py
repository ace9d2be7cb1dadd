"""A ``CalendarEvent`` as an iCalendar file (RFC 5545).

``METHOD:PUBLISH``: the file is the meeting as it stands, not an invitation
that expects an answer (a ``REQUEST`` without an organizer reads in Outlook as
an invitation from nobody). Times carry their zone (``TZID``) and the file
its ``VTIMEZONE``, so a weekly meeting keeps its wall-clock time across DST.
A later version of the same event (same ``UID``, higher ``SEQUENCE``)
replaces the earlier one; a cancelled meeting is ``STATUS:CANCELLED``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Alarm, Calendar, Event, vRecur

from bot.calendars.event import CalendarEvent
from bot.schedule import Weekday

PRODID = "-//meetbridge//meetbridge calendar//EN"
MEDIA_TYPE = "text/calendar; charset=utf-8"

ICS_DAYS = {
    Weekday.MONDAY: "MO",
    Weekday.TUESDAY: "TU",
    Weekday.WEDNESDAY: "WE",
    Weekday.THURSDAY: "TH",
    Weekday.FRIDAY: "FR",
    Weekday.SATURDAY: "SA",
    Weekday.SUNDAY: "SU",
}
# How far the VTIMEZONE's transitions reach: a weekly meeting goes on.
_ZONE_REACH = timedelta(days=366 * 10)


def rrule_text(event: CalendarEvent) -> str:
    """``FREQ=WEEKLY;BYDAY=MO,WE`` for a weekly event, empty otherwise."""
    if not event.days:
        return ""
    return "FREQ=WEEKLY;BYDAY=" + ",".join(ICS_DAYS[d] for d in event.days)


def ics_file(event: CalendarEvent, *, now: datetime) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", now.astimezone(UTC))
    vevent.add("sequence", event.sequence)
    vevent.add("dtstart", event.start)
    vevent.add("dtend", event.end)
    vevent.add("summary", event.summary)
    if event.description:
        vevent.add("description", event.description)
    if event.url:
        vevent.add("url", event.url)
        vevent.add("location", event.url)
    vevent.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    if event.days:
        vevent.add("rrule", vRecur(freq="WEEKLY", byday=[ICS_DAYS[d] for d in event.days]))
    if event.alarm is not None and not event.cancelled:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", event.summary)
        alarm.add("trigger", -event.alarm)
        vevent.add_component(alarm)
    calendar.add_component(vevent)
    first = event.start.date() - timedelta(days=1)
    calendar.add_missing_timezones(first_date=first, last_date=first + _ZONE_REACH)
    ical: bytes = calendar.to_ical()
    return ical
