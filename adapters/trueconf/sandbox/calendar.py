"""Calendar links and ICS files for sandbox conferences."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import quote, urlencode

from icalendar import Alarm, Calendar, Event, vRecur

_ICS_DAYS = {
    "monday": "MO",
    "tuesday": "TU",
    "wednesday": "WE",
    "thursday": "TH",
    "friday": "FR",
    "saturday": "SA",
    "sunday": "SU",
}


def _stamp(at: datetime) -> str:
    return at.strftime("%Y%m%dT%H%M%SZ")


def calendar_links(
    *,
    topic: str,
    page_url: str,
    ics_url: str,
    start: datetime,
    end: datetime,
    weekly_days: list[str] | None,
    zone: str,
) -> dict[str, str]:
    """Google, Outlook and "other" (ICS) links, shaped like the reference's example."""
    details = (
        "Click the link below to join the web conference at the specific time and date:\n"
        + page_url
    )
    google = {
        "action": "TEMPLATE",
        "dates": f"{_stamp(start)}/{_stamp(end)}",
        "text": topic,
        "location": page_url,
        "details": details,
        "ctz": zone,
    }
    if weekly_days:
        days = ",".join(_ICS_DAYS[d] for d in weekly_days)
        google["recur"] = f"RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY={days}"
    outlook = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "startdt": start.strftime("%Y%m%dT%H%M%S"),
        "enddt": end.strftime("%Y%m%dT%H%M%S"),
        "subject": topic,
        "location": page_url,
        "body": details,
    }
    return {
        "google": "http://www.google.com/calendar/event?" + urlencode(google, quote_via=quote),
        "outlook": "https://outlook.live.com/owa/?" + urlencode(outlook, quote_via=quote),
        "other": ics_url,
    }


def ics_file(
    *,
    conference_id: str,
    topic: str,
    page_url: str,
    host: str,
    start: datetime,
    end: datetime,
    weekly_days: list[str] | None,
    now: datetime,
) -> bytes:
    """A VCALENDAR with one VEVENT (and a weekly RRULE), like the server's ICS answer."""
    calendar = Calendar()
    calendar.add("prodid", f"-//{host}//meetbridge TrueConf sandbox//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "REQUEST")
    calendar.add("x-wr-calname", "TrueConf")
    event = Event()
    event.add("uid", conference_id)
    event.add("dtstamp", now)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", f"Video conference '{topic}'")
    event.add("description", f'Join the video conference "{topic}":\n{page_url}')
    event.add("location", page_url)
    if weekly_days:
        event.add("rrule", vRecur(freq="WEEKLY", byday=[_ICS_DAYS[d] for d in weekly_days]))
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f'Join the video conference "{topic}":\n{page_url}')
    alarm.add("trigger", timedelta(hours=-1))
    event.add_component(alarm)
    calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical
