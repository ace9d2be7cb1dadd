"""One step of a watched meeting, pure: the record as it was, the conference
as it is now, and what follows (the record as it becomes, what to tell)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from bot.live.model import Activity, LiveConfig, LiveRecord, LiveView, Participant
from bot.meeting import LiveState


@dataclass(frozen=True, slots=True)
class Step:
    record: LiveRecord
    view: LiveView  # what the card should show now
    ended: bool = False  # it ran and has stopped: the summary is due
    idle: bool = False  # nobody in for IDLE_STOP_MINUTES: the note is due
    finished: bool = False  # nothing more to watch for this start


def _seen(before: tuple[Participant, ...], now: tuple[Participant, ...]) -> tuple[Participant, ...]:
    return tuple(dict.fromkeys((*before, *now)))


def advance(
    record: LiveRecord,
    activity: Activity,
    *,
    now: datetime,
    window_end: datetime,
    config: LiveConfig,
) -> Step:
    """``window_end``: past it, a conference never seen running is no longer
    expected to start (its scheduled end)."""
    if activity.running:
        if record.phase is not LiveState.RUNNING:
            record = replace(
                record,
                phase=LiveState.RUNNING,
                running_since=now,
                seen=(),
                empty_since=None,
                idle_noted=False,
            )
        people = activity.participants
        empty_since = None if people else (record.empty_since or now)
        idle = (
            empty_since is not None and not record.idle_noted and now - empty_since >= config.idle
        )
        record = replace(
            record,
            seen=_seen(record.seen, people),
            empty_since=empty_since,
            idle_noted=(record.idle_noted or idle) and empty_since is not None,
        )
        return Step(record, LiveView.running(people), idle=idle)
    if record.phase is LiveState.RUNNING:
        ended = replace(record, phase=LiveState.ENDED, empty_since=None)
        return Step(ended, LiveView(LiveState.ENDED), ended=True, finished=True)
    waiting = replace(record, phase=LiveState.SCHEDULED)
    return Step(waiting, LiveView(LiveState.SCHEDULED), finished=now >= window_end)


def started_record(record: LiveRecord, *, now: datetime, config: LiveConfig) -> LiveRecord:
    """The record of a meeting the bridge has just started, nobody in yet:
    what a poll would make of it. Stored with the meeting, it lets the first
    poll wait a poll interval (one at once only ever found the empty room, at
    a third of a ``now`` command's CPU)."""
    return advance(record, Activity(running=True), now=now, window_end=now, config=config).record
