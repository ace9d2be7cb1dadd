"""Where a meeting stands now: its recorded live state with what the clock adds,
and the order people read their meetings in.

The recorded state (``Meeting.state``) is what the bridge saw: its own start
and stop, and whatever watches the server. The clock adds what needs no
watching: between its start and end a scheduled meeting runs (the server
starts a scheduled conference, the bridge opens a Callaba room), and a
one-time meeting whose end has passed has ended.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.meeting import LiveState, Meeting
from bot.schedule import Instant, Once, Weekly
from bot.timerules import next_start

# The length of a meeting stored without one, for telling when it ended.
ASSUMED_DURATION = timedelta(hours=1)


def _run_for(meeting: Meeting, length: timedelta) -> datetime | None:
    """The start a run the bridge saw begin was for: a one-time meeting's
    start, the weekly occurrence it began during or ahead of; ``None``:
    only a stop ends it (started at once, or run again after its end)."""
    since = meeting.state_since
    if since is None:
        return None
    match meeting.schedule:
        case Once(start=start):
            return start if since < start + length else None
        case Weekly() as rule:
            occurrence = next_start(rule, since - length)
            assert occurrence is not None
            return occurrence
        case Instant():
            return None


def _run_end(meeting: Meeting, length: timedelta) -> datetime | None:
    """When a run the bridge saw begin ends by the schedule: at the end of
    the start it was for (``_run_for``)."""
    start = _run_for(meeting, length)
    return None if start is None else start + length


def begun_ahead_of(meeting: Meeting, start: datetime, now: datetime) -> bool:
    """``start`` is still ahead, yet the meeting runs now, started by hand
    for it (not a run of an earlier start: today's standup while tomorrow's
    is announced)."""
    if now >= start or meeting.state is not LiveState.RUNNING:
        return False
    length = meeting.duration or ASSUMED_DURATION
    return current_state(meeting, now) is LiveState.RUNNING and _run_for(meeting, length) == start


def current_state(meeting: Meeting, now: datetime) -> LiveState:
    """The state a list or card shows at ``now``."""
    length = meeting.duration or ASSUMED_DURATION
    recorded, since = meeting.state, meeting.state_since
    if recorded is LiveState.RUNNING:
        end = _run_end(meeting, length)
        if end is None or now < end:
            return LiveState.RUNNING
        recorded, since = LiveState.ENDED, end  # ran out at its scheduled end
    match meeting.schedule:
        case Weekly() as rule:
            # Inside an occurrence it runs, unless it was ended during it; after
            # one ends the rule goes on: the next one is scheduled.
            current = next_start(rule, now - length)
            assert current is not None
            ended_since = since if recorded is LiveState.ENDED else None
            stopped = ended_since is not None and ended_since >= current
            running = current <= now and not stopped
            return LiveState.RUNNING if running else LiveState.SCHEDULED
        case Once(start=start):
            # Seen to end, even before its start (started early, then stopped):
            # it is over; moving it to a new time schedules it again.
            if recorded is LiveState.ENDED or start + length <= now:
                return LiveState.ENDED
            return LiveState.RUNNING if start <= now else LiveState.SCHEDULED
        case Instant():
            # Started when it was made: over only once seen to end.
            return LiveState.ENDED if recorded is LiveState.ENDED else LiveState.RUNNING


def start_shown(meeting: Meeting, now: datetime) -> datetime:
    """The start a card and a list name: when a meeting made to start at once
    was made, a one-time meeting's start, a weekly meeting's next start."""
    match meeting.schedule:
        case Instant():
            return meeting.created_at
        case Once(start=start):
            return start
        case Weekly() as rule:
            upcoming = next_start(rule, now)
            assert upcoming is not None
            return upcoming


def is_over(meeting: Meeting, now: datetime) -> bool:
    """A one-time meeting that has ended: lists leave it out unless asked."""
    return current_state(meeting, now) is LiveState.ENDED


def start_order(meeting: Meeting, now: datetime) -> tuple[int, datetime, int]:
    """Sort key: what runs now first, then by the next start; ended ones last."""
    state = current_state(meeting, now)
    number = meeting.id or 0
    if state is LiveState.RUNNING:
        return (0, meeting.state_since or meeting.created_at, number)
    upcoming = next_start(meeting.schedule, now)
    if state is LiveState.SCHEDULED and upcoming is not None:
        return (1, upcoming, number)
    ended = meeting.schedule.start if isinstance(meeting.schedule, Once) else meeting.created_at
    return (2, ended, number)
