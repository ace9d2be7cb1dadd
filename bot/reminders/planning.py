"""Writing a meeting's plan into the ledger, inside the caller's unit of work,
so the rows commit (or roll back) with the meeting change itself."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.context import Deps
from bot.meeting import Meeting
from bot.ports import ChatSettings, PlannedAction, UnitOfWork, features_of
from bot.reminders.plan import Timing, plan_new, watch_now
from bot.schedule import Instant


def timing_for(meeting: Meeting, deps: Deps) -> Timing:
    watch = deps.live.lead if deps.live is not None and deps.watched(meeting.backend) else None
    if meeting.backend in deps.activation:  # the bridge switches the room: nothing drifts
        return Timing(activation_lead=deps.activation_lead, live_lead=watch)
    backend = deps.backends.get(meeting.backend)
    keeps_schedule = backend is not None and features_of(backend).schedules
    return Timing(
        activation_lead=None,
        server_zone=deps.defaults.server_zone if keeps_schedule else None,
        live_lead=watch,
    )


def offsets_for_new(
    meeting: Meeting, chosen: tuple[timedelta, ...] | None, settings: ChatSettings, deps: Deps
) -> tuple[timedelta, ...]:
    """The reminders a new meeting gets: the command's, else the chat's
    default, else the configured one. Instant meetings have already begun."""
    if isinstance(meeting.schedule, Instant):
        return ()
    if chosen is not None:
        return chosen
    return settings.reminders if settings.reminders is not None else deps.defaults.reminders


def first_plan(meeting: Meeting, deps: Deps, now: datetime) -> list[PlannedAction]:
    """A new meeting's first rows (stored with it: ``MeetingRepository.add``);
    one started at once is watched from now, first polled a poll interval on
    (its record is stored as running, nobody in: ``started_record``)."""
    timing = timing_for(meeting, deps)
    actions = list(plan_new(meeting, now, timing))
    if isinstance(meeting.schedule, Instant):
        poll = deps.live.poll if deps.live is not None else timedelta(0)
        actions += watch_now(meeting, now, timing, first_after=poll)
    return actions


async def replan(uow: UnitOfWork, meeting: Meeting, deps: Deps, now: datetime) -> None:
    """Replace the meeting's pending rows with its current plan (none once cancelled)."""
    assert meeting.id is not None
    await uow.ledger.replace_pending(meeting.id, plan_new(meeting, now, timing_for(meeting, deps)))
