"""Google Calendar and Outlook links from the bridge's own ``CalendarEvent``.

Google takes the local times with their zone (``ctz``) and the weekly rule
(``recur``). Outlook's compose link takes a start and an end with their UTC
offset but no recurrence, so a weekly meeting goes to Outlook as a
subscription to the bridge's own .ics (``addfromweb``), which carries the
rule; without a public .ics link a weekly meeting gets no Outlook link
rather than one that would land as a single event.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote, urlencode

from bot.calendars.event import CalendarEvent
from bot.calendars.ics import rrule_text

GOOGLE = "https://calendar.google.com/calendar/render"
OUTLOOK_HOSTS = ("outlook.office.com", "outlook.live.com")
# Links go into buttons, and Slack's take 3000 characters: the details are cut.
_DETAILS_MAX = 1200


def _cut(text: str) -> str:
    return text if len(text) <= _DETAILS_MAX else text[: _DETAILS_MAX - 1] + "…"


def _query(params: dict[str, str]) -> str:
    return urlencode(params, quote_via=quote, safe="")


def _local(at: datetime) -> str:
    return at.strftime("%Y%m%dT%H%M%S")


def google_url(event: CalendarEvent) -> str:
    params = {
        "action": "TEMPLATE",
        "text": event.summary,
        "dates": f"{_local(event.start)}/{_local(event.end)}",
        "ctz": event.zone,
        "details": _cut(event.description),
        "location": event.url,
    }
    if event.weekly:
        params["recur"] = "RRULE:" + rrule_text(event)
    return f"{GOOGLE}?{_query(params)}"


def outlook_url(event: CalendarEvent, host: str, ics_url: str = "") -> str:
    """A compose link for a one-time meeting; for a weekly one, a subscription
    to ``ics_url`` (empty: no link)."""
    if event.weekly:
        if not ics_url:
            return ""
        return f"https://{host}/calendar/0/addfromweb?" + _query(
            {"url": ics_url, "name": event.summary}
        )
    params = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": event.summary,
        "startdt": event.start.isoformat(timespec="seconds"),
        "enddt": event.end.isoformat(timespec="seconds"),
        "body": _cut(event.description),
        "location": event.url,
    }
    return f"https://{host}/calendar/0/deeplink/compose?{_query(params)}"
