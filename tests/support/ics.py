"""The single event of an .ics file the bridge made, read through icalendar's
typed properties (``event.sequence``, ``event.uid``, ``event.status``)."""

from __future__ import annotations

from icalendar import Calendar, Event


def only_event(content: bytes | str) -> Event:
    """The file's one VEVENT; fails the test if it holds none or several."""
    [event] = Calendar.from_ical(content).events
    return event
