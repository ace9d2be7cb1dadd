"""One meeting as a calendar event: when its occurrences really happen, in
which zone, and what the event says."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.i18n import Translator
from bot.meeting import JoinInfo, Meeting, MeetingStatus
from bot.schedule import Instant, Once, Weekday, Weekly
from bot.timerules import (
    next_weekly_occurrence,
    weekly_in_server_zone,
    weekly_translation_changes,
    zone_info,
)

# Long enough to see every difference of two zones' DST rules (a year), and
# the next one's start.
_DRIFT_HORIZON = timedelta(days=400)


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    """``start``/``end`` are aware, in ``zone``; ``days`` (in ``zone``) makes
    the event weekly, empty for a one-time meeting."""

    uid: str
    sequence: int
    summary: str
    description: str
    url: str
    start: datetime
    end: datetime
    zone: str
    days: tuple[Weekday, ...] = ()
    alarm: timedelta | None = None
    cancelled: bool = False
    meeting_id: int = 0

    @property
    def weekly(self) -> bool:
        return bool(self.days)

    @property
    def duration(self) -> timedelta:
        return self.end - self.start


def occurring_rule(rule: Weekly, created_at: datetime, server_zone: str | None) -> Weekly:
    """The weekly rule the occurrences really follow.

    A server that keeps the schedule (TrueConf, ``server_zone`` given) holds
    the rule translated into its own zone when the meeting was made. While
    the two zones' offsets differ by the same amount all year, that is the
    person's rule, kept in their zone. Otherwise the server's rule drifts an
    hour from the person's for part of the year, and what happens is the
    server's rule: the calendar follows it, in the server's zone, so the
    calendar never shows a time at which nothing runs.
    """
    if server_zone is None or server_zone == rule.zone:
        return rule
    if weekly_translation_changes(rule, server_zone, created_at, _DRIFT_HORIZON) is None:
        return rule
    held = weekly_in_server_zone(rule, server_zone, created_at)
    return Weekly(frozenset(held.days), held.time, server_zone)


def join_text(join: JoinInfo, t: Translator) -> str:
    """Every way to join, one per line, for the event's description."""
    lines: list[str] = []
    for key, value in (
        ("card.page", join.page_url),
        ("card.browser", join.browser_url),
        ("card.view_only", join.view_url),
        ("card.app", join.app_deeplink),
        ("card.android", join.android_intent),
        ("card.sip", ", ".join(join.sip)),
        ("card.sip_external", join.sip_external),
        ("card.h323", ", ".join(join.h323)),
    ):
        if value:
            lines.append(f"{t(key)}: {value}")
    return "\n".join(lines)


def calendar_event(
    meeting: Meeting,
    *,
    t: Translator,
    host: str,
    default_duration: timedelta,
    server_zone: str | None,
) -> CalendarEvent | None:
    """The meeting as a calendar event; ``None`` for a meeting started at once
    (nothing to plan). ``server_zone``: the zone of a server that keeps the
    weekly schedule itself, ``None`` when the bridge times the room."""
    duration = meeting.duration or default_duration
    schedule = meeting.schedule
    days: tuple[Weekday, ...] = ()
    match schedule:
        case Instant():
            return None
        case Once(start=start_utc, zone=zone):
            start = start_utc.astimezone(zone_info(zone))
        case Weekly():
            rule = occurring_rule(schedule, meeting.created_at, server_zone)
            zone = rule.zone
            # The first occurrence is the event's DTSTART (RFC 5545 counts it).
            first = next_weekly_occurrence(rule, meeting.created_at - timedelta(microseconds=1))
            # The rule's own wall-clock time, even when the first falls in a DST
            # gap (moved on an hour): the rule repeats DTSTART's local time.
            tz = zone_info(zone)
            start = datetime.combine(first.astimezone(tz).date(), rule.at, tzinfo=tz)
            days = rule.sorted_days
    if days:
        # Wall-clock, as calendars repeat DTEND − DTSTART for each occurrence.
        end = start + duration
    else:
        end = (start.astimezone(UTC) + duration).astimezone(zone_info(zone))
    page = meeting.join.page_url or meeting.join.browser_url
    return CalendarEvent(
        uid=f"{meeting.uid or meeting.conference_id}@{host}",
        sequence=meeting.sequence,
        summary=meeting.topic,
        description=join_text(meeting.join, t),
        url=page,
        start=start,
        end=end,
        zone=zone,
        days=days,
        # The reminder that fires first (the longest before the start).
        alarm=max(meeting.reminders) if meeting.reminders else None,
        cancelled=meeting.status is MeetingStatus.CANCELLED,
        meeting_id=meeting.id or 0,
    )
