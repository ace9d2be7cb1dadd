"""The ledger rows a meeting needs: reminders before its next start(s), and
room (de)activation for backends that keep no schedule. Pure: no I/O, no clock.

Weekly starts come from ``bot.timerules`` in the meeting's own zone, so a
reminder keeps its wall-clock time across DST changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.meeting import Meeting, MeetingStatus
from bot.ports.ledger import ActionKind, PlannedAction
from bot.schedule import Instant, Once, Weekly
from bot.timerules import next_weekly_occurrence

ROOM = ""  # the recipient of room actions: the room, not a chat


@dataclass(frozen=True, slots=True)
class Timing:
    """What the plan depends on besides the meeting."""

    activation_lead: timedelta | None  # None: the meeting's backend needs no activation


def _actions_at(meeting: Meeting, start: datetime, timing: Timing) -> list[PlannedAction]:
    actions = [
        PlannedAction(ActionKind.REMIND, start, offset, meeting.chat.key)
        for offset in meeting.reminders
    ]
    if timing.activation_lead is not None:
        actions.append(PlannedAction(ActionKind.ACTIVATE, start, timing.activation_lead, ROOM))
        length = meeting.duration or timedelta(0)
        actions.append(PlannedAction(ActionKind.DEACTIVATE, start, -length, ROOM))
    return actions


def _horizon(meeting: Meeting, timing: Timing) -> timedelta:
    """How far before a start its earliest action fires."""
    return max((*meeting.reminders, timing.activation_lead or timedelta(0), timedelta(0)))


def starts_to_plan(meeting: Meeting, after: datetime, timing: Timing) -> list[datetime]:
    """The starts after ``after`` whose actions may fire before the next start:
    the next one, plus later ones whose earliest action comes before it (a 1-day
    reminder of a daily meeting fires at the previous start)."""
    match meeting.schedule:
        case Instant():
            return []
        case Once(start=start):
            return [start] if start > after else []
        case Weekly() as rule:
            first = next_weekly_occurrence(rule, after)
            limit = first + _horizon(meeting, timing)
            starts = [first]
            while (following := next_weekly_occurrence(rule, starts[-1])) <= limit:
                starts.append(following)
            return starts


def plan(
    meeting: Meeting, *, after: datetime, not_before: datetime, timing: Timing
) -> list[PlannedAction]:
    """The rows for the starts after ``after``, without those firing before
    ``not_before`` (a reminder whose moment passed before the meeting was made).
    A room's activation is kept even then: a meeting made inside the lead time
    still needs its room open, so the row comes due at once."""
    if meeting.status is not MeetingStatus.SCHEDULED:
        return []
    return [
        action
        for start in starts_to_plan(meeting, after, timing)
        for action in _actions_at(meeting, start, timing)
        if action.fire_at > not_before or action.kind is ActionKind.ACTIVATE
    ]


def plan_new(meeting: Meeting, now: datetime, timing: Timing) -> list[PlannedAction]:
    """Rows for a meeting just created or changed."""
    return plan(meeting, after=now, not_before=now, timing=timing)


def plan_following(
    meeting: Meeting, occurrence_start: datetime, now: datetime, timing: Timing
) -> list[PlannedAction]:
    """Roll a weekly meeting forward once an action of ``occurrence_start`` is done.

    Rows firing between that start and ``now`` are kept, so the downtime policy
    decides about them; starts already past (a long outage) are skipped.
    """
    if not isinstance(meeting.schedule, Weekly):
        return []
    after = occurrence_start
    if next_weekly_occurrence(meeting.schedule, after) <= now:
        after = now
    return plan(meeting, after=after, not_before=occurrence_start, timing=timing)
