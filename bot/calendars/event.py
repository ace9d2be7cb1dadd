"""One meeting as a calendar event: when its occurrences really happen, in
which zone, and what the event says."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.i18n import Translator
from bot.meeting import JoinInfo, Meeting, MeetingStatus
from bot.schedule import Instant, Once, Weekday, Weekly
from bot.timerules import next_weekly_occurrence, zone_info


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
) -> CalendarEvent | None:
    """The meeting as a calendar event; ``None`` for a meeting started at once
    (nothing to plan). A weekly event repeats the person's rule in their zone:
    that is when it happens, as a server that keeps the rule in its own zone
    has it corrected at each change of the clocks (``bot.reminders.plan``)."""
    duration = meeting.duration or default_duration
    schedule = meeting.schedule
    days: tuple[Weekday, ...] = ()
    match schedule:
        case Instant():
            return None
        case Once(start=start_utc, zone=zone):
            start = start_utc.astimezone(zone_info(zone))
        case Weekly() as rule:
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
