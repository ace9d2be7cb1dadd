"""The ledger rows a meeting needs: reminders before its next start(s), room
(de)activation for backends that keep no schedule, and the correction of a
weekly rule a server keeps in its own zone. Pure: no I/O, no clock.

Weekly starts come from ``bot.timerules`` in the meeting's own zone, so a
reminder keeps its wall-clock time across DST changes. A server that keeps
the rule in its zone does not: where the two zones change clocks on different
dates, a ``correct`` row moves the server's rule before the first occurrence
it would get wrong (and back at the next change).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.meeting import Meeting, MeetingStatus
from bot.ports.ledger import ActionKind, PlannedAction
from bot.schedule import Instant, Once, Weekly
from bot.timerules import TranslationChange, next_translation_change, next_weekly_occurrence

ROOM = ""  # the recipient of room actions: the room, not a chat


# Kinds whose row must run even when its moment passed before it was planned.
_ALWAYS_DUE = frozenset({ActionKind.ACTIVATE, ActionKind.CORRECT, ActionKind.LIVE})
# How long before the first start the old server rule would get wrong (the
# earlier of the two) its rule is corrected; never before the previous start
# has ended, which the old rule still gets right.
CORRECTION_LEAD = timedelta(hours=1)
# How far ahead the next change of two zones' clocks is looked for: a year,
# and the start of the next.
CORRECTION_HORIZON = timedelta(days=400)


@dataclass(frozen=True, slots=True)
class Timing:
    """What the plan depends on besides the meeting."""

    activation_lead: timedelta | None  # None: the meeting's backend needs no activation
    # The zone of a server that keeps weekly rules itself (TrueConf's); None:
    # the bridge times the meeting, nothing on the server drifts.
    server_zone: str | None = None
    # How long before a start the conference is watched; None: not watched
    # (live cards off, or a backend that cannot tell who is in).
    live_lead: timedelta | None = None


def _actions_at(meeting: Meeting, start: datetime, timing: Timing) -> list[PlannedAction]:
    actions = [
        PlannedAction(ActionKind.REMIND, start, offset, meeting.chat.key)
        for offset in meeting.reminders
    ]
    if timing.activation_lead is not None:
        actions.append(PlannedAction(ActionKind.ACTIVATE, start, timing.activation_lead, ROOM))
        length = meeting.duration or timedelta(0)
        actions.append(PlannedAction(ActionKind.DEACTIVATE, start, -length, ROOM))
    if timing.live_lead is not None:
        actions.append(PlannedAction(ActionKind.LIVE, start, timing.live_lead, meeting.chat.key))
    return actions


def watch_now(
    meeting: Meeting, now: datetime, timing: Timing, *, first_after: timedelta = timedelta(0)
) -> list[PlannedAction]:
    """The row that watches a conference started by hand (or at once) from
    now, first looked at ``first_after`` from now."""
    if timing.live_lead is None or meeting.status is not MeetingStatus.SCHEDULED:
        return []
    return [PlannedAction(ActionKind.LIVE, now, -first_after, meeting.chat.key)]


def _horizon(meeting: Meeting, timing: Timing) -> timedelta:
    """How far before a start its earliest action fires."""
    return max(
        (
            *meeting.reminders,
            timing.activation_lead or timedelta(0),
            timing.live_lead or timedelta(0),
            timedelta(0),
        )
    )


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


def correction_fire_at(change: TranslationChange, duration: timedelta | None) -> datetime:
    """When the server's rule is moved for ``change``: ``CORRECTION_LEAD``
    before the old rule or the new one would start the occurrence (whichever
    is earlier), but not before the previous occurrence has ended (a running
    conference's schedule cannot change) unless that leaves no time at all."""
    deadline = change.occurrence + min(timedelta(0), timedelta(minutes=change.drift_minutes))
    previous_end = change.previous + (duration or timedelta(0))
    fire_at = max(previous_end, deadline - CORRECTION_LEAD)
    if fire_at >= deadline:
        fire_at = max(change.previous, deadline - timedelta(minutes=1))
    return fire_at


def correction(meeting: Meeting, after: datetime, timing: Timing) -> PlannedAction | None:
    """The row that corrects the server's rule at the next change of the
    translation after ``after``; ``None`` when nothing on a server drifts."""
    rule = meeting.schedule
    if timing.server_zone is None or not isinstance(rule, Weekly):
        return None
    change = next_translation_change(rule, timing.server_zone, after, CORRECTION_HORIZON)
    if change is None:
        return None
    offset = change.occurrence - correction_fire_at(change, meeting.duration)
    return PlannedAction(ActionKind.CORRECT, change.occurrence, offset, ROOM)


def plan(
    meeting: Meeting, *, after: datetime, not_before: datetime, timing: Timing
) -> list[PlannedAction]:
    """The rows for the starts after ``after``, without those firing before
    ``not_before`` (a reminder whose moment passed before the meeting was made).
    A room's activation is kept even then: a meeting made inside the lead time
    still needs its room open, so the row comes due at once; so are the
    correction of the server's rule and the watch of the conference."""
    if meeting.status is not MeetingStatus.SCHEDULED:
        return []
    actions = [
        action
        for start in starts_to_plan(meeting, after, timing)
        for action in _actions_at(meeting, start, timing)
        if action.fire_at > not_before or action.kind in _ALWAYS_DUE
    ]
    corrected = correction(meeting, after, timing)
    if corrected is not None:
        actions.append(corrected)
    return actions


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
