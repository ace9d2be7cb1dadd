"""``/meet edit <id> …``: a new time, schedule, duration or topic, on the server
in one request and in the bridge with its reminders re-planned in the same
transaction. ``rename`` is the topic-only form of it (``bot.handlers.rename``)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from bot import formatting
from bot.cards import describe_when, meeting_card
from bot.commands import EditMeeting, MeetingForm, NewMeeting, ParseResult
from bot.context import Deps, Request
from bot.errors import BackendError, Refusal, UserError
from bot.grammar.edit import (
    EDIT_NOW,
    EDIT_PEOPLE,
    EDIT_WEEK,
    EX_EDIT,
    MOVE_NO_TIME,
    parse_edit,
)
from bot.handlers.lookup import ensure_may_change, find_meeting
from bot.handlers.spec import CommandSpec
from bot.live.card import shown_view, with_state
from bot.live.model import LiveView
from bot.meeting import ConferenceSpec, EditField, LiveState, Meeting
from bot.ports import ConferenceBackend, Editing, features_of
from bot.reminders.planning import replan
from bot.reply import Reply, Text, Tone, Visibility
from bot.schedule import Instant, Once, Schedule, Weekday, Weekly
from bot.states import current_state
from bot.timerules import NonexistentLocalTime, local_to_utc, to_zone, weekly_occurrences

log = logging.getLogger(__name__)

# The order changes are told in, and each field's name in messages.
FIELD_ORDER = (EditField.SCHEDULE, EditField.DURATION, EditField.TOPIC)


@dataclass(frozen=True, slots=True)
class Edited:
    before: Meeting
    after: Meeting
    fields: frozenset[EditField]
    backend: ConferenceBackend
    shown: LiveView | None = None  # what its live card shows, read with the edit


def field_names(fields: frozenset[EditField], request: Request) -> str:
    return ", ".join(request.t(f"edit.field.{f.value}") for f in FIELD_ORDER if f in fields)


def _once(day: date, at: time, zone: str) -> Once:
    """A one-time start at a wall-clock time in ``zone``; a time the clocks skip is said."""
    try:
        start = local_to_utc(day, at, zone, strict=True)
    except NonexistentLocalTime:
        when = f"{day.isoformat()} {at:%H:%M}"
        raise UserError("edit.nonexistent", when=when, zone=zone) from None
    except OverflowError:
        # 9999-12-31 late in a zone behind UTC: past the calendar's end in UTC.
        raise UserError("grammar.bad_date", word=day.isoformat()) from None
    return Once(start=start, zone=zone)


def _one_time_at(meeting: Meeting, command: EditMeeting, request: Request) -> Schedule:
    """A new time of day on the day the meeting is on, in the person's zone."""
    assert command.at is not None
    assert isinstance(meeting.schedule, Once)
    day = to_zone(meeting.schedule.start, request.zone).date()
    return _once(day, command.at, request.zone)


def _one_time_on(meeting: Meeting, command: EditMeeting) -> Schedule:
    """A new date at the meeting's time of day, in the meeting's own zone:
    16:30 stays 16:30 there, whatever the clocks do in between."""
    assert command.day is not None
    assert isinstance(meeting.schedule, Once)
    zone = meeting.schedule.zone
    at = to_zone(meeting.schedule.start, zone).time().replace(tzinfo=None)
    return _once(command.day, at, zone)


def _weekly_day(meeting: Meeting, day: date, request: Request) -> UserError:
    """A date given to a weekly meeting: it stays weekly; its days are named."""
    name = request.t(f"day.{Weekday(day.weekday()).api_name}").lower()
    return UserError("edit.weekly_needs_days", id=meeting.id, day=name)


def _weekly_date_time(meeting: Meeting, given: Once, request: Request) -> UserError:
    """A date and time given to a weekly meeting: it stays weekly; the line
    offered names the date's day and keeps the time typed."""
    start = to_zone(given.start, given.zone)
    name = request.t(f"day.{Weekday(start.weekday()).api_name}").lower()
    return UserError("edit.weekly_needs_day_time", id=meeting.id, day=name, time=f"{start:%H:%M}")


def new_schedule(meeting: Meeting, command: EditMeeting, request: Request) -> Schedule:
    """The schedule after the edit. A one-time meeting stays one-time and a
    weekly one weekly: turning one into the other is a new meeting."""
    old, given = meeting.schedule, command.schedule
    if given is None and command.at is None and command.days is None and command.day is None:
        return old
    number = meeting.id
    match old:
        case Instant():
            raise UserError("edit.instant_time", id=number)
        case Weekly() if command.day is not None:
            raise _weekly_day(meeting, command.day, request)
        case Once() if command.day is not None:
            return _one_time_on(meeting, command)
        case Weekly() if given is None and command.at is None:
            assert command.days is not None
            return Weekly(command.days, old.at, old.zone)
        case Weekly() if given is None:
            assert command.at is not None
            return Weekly(command.days or old.days, command.at, request.zone)
        case Weekly() if isinstance(given, Once):
            raise _weekly_date_time(meeting, given, request)
        case Weekly() if not isinstance(given, Weekly):
            raise UserError("edit.weekly_needs_rule", id=number)
        case Once() if command.days is not None:
            raise UserError("edit.once_needs_date", id=number)
        case Once() if given is None:
            return _one_time_at(meeting, command, request)
        case Once() if not isinstance(given, Once):
            raise UserError("edit.once_needs_date", id=number)
    assert given is not None
    return given


def _changes(meeting: Meeting, command: EditMeeting, request: Request) -> Meeting:
    schedule = new_schedule(meeting, command, request)
    if (
        isinstance(schedule, Once)
        and schedule != meeting.schedule
        and schedule.start <= request.now
    ):
        when = formatting.when(schedule.start, request.zone, request.lang)
        raise UserError("edit.in_past", id=meeting.id, when=when)
    duration = command.duration if command.duration is not None else meeting.duration
    topic = command.topic if command.topic is not None else meeting.topic
    return meeting.with_changes(schedule=schedule, duration=duration, topic=topic)


def changed_fields(before: Meeting, after: Meeting) -> frozenset[EditField]:
    pairs = (
        (EditField.TOPIC, before.topic, after.topic),
        (EditField.SCHEDULE, before.schedule, after.schedule),
        (EditField.DURATION, before.duration, after.duration),
    )
    return frozenset(field for field, old, new in pairs if old != new)


def _spec(meeting: Meeting) -> ConferenceSpec:
    return ConferenceSpec(
        topic=meeting.topic,
        owner_login=meeting.owner_login,
        invitee_logins=meeting.invited_logins,
        schedule=meeting.schedule,
        duration=meeting.duration,
    )


def _refuse_while_running(
    meeting: Meeting, fields: frozenset[EditField], editing: Editing, request: Request
) -> UserError:
    locked = (fields - editing.while_running) or fields
    return UserError("edit.running", id=meeting.id, fields=field_names(locked, request))


async def _send(
    editing: Editing,
    meeting: Meeting,
    after: Meeting,
    fields: frozenset[EditField],
    request: Request,
) -> None:
    """The one request to the server; a refusal because it runs names the fields."""
    # Seen to run (started, and not past the end it was started for): no need
    # to ask the server. Otherwise the server says, and is told the same way.
    seen_running = meeting.state is LiveState.RUNNING
    running = seen_running and current_state(meeting, request.now) is LiveState.RUNNING
    if running and fields - editing.while_running:
        raise _refuse_while_running(meeting, fields, editing, request)
    try:
        await editing.edit(meeting.conference_id, _spec(after), fields)
    except BackendError as exc:
        if exc.refusal in (Refusal.RUNNING, Refusal.LOCKED_WHILE_RUNNING):
            raise _refuse_while_running(meeting, fields, editing, request) from None
        raise


async def _store(
    before: Meeting, after: Meeting, fields: frozenset[EditField], deps: Deps, request: Request
) -> tuple[Meeting, LiveView | None]:
    """The meeting's new fields and its re-planned reminders, in one
    transaction; with what its live card shows, for the reply's state line."""
    async with deps.uow() as uow:
        assert before.id is not None
        # Re-read, locked: only this edit's fields are written over what is
        # stored now, and an invite writing meanwhile waits for this to end.
        current = await uow.meetings.get_for_update(before.id) or before
        stored = current.with_changes(
            topic=after.topic, schedule=after.schedule, duration=after.duration
        )
        # Moved while not running: what was recorded (ended, or a run that has
        # since run out) was of the old time; the new one is scheduled.
        moved = EditField.SCHEDULE in fields and current.state is not LiveState.SCHEDULED
        if moved and current_state(current, request.now) is not LiveState.RUNNING:
            stored = stored.with_changes(state=LiveState.SCHEDULED, state_since=request.now)
        await uow.meetings.save(stored)
        await replan(uow, stored, deps, request.now)
        live = await uow.live.get(before.id)
        await uow.commit()
    return stored, live.shown if live is not None else None


async def _restore(editing: Editing, before: Meeting, fields: frozenset[EditField]) -> None:
    """Put the server back as the bridge still knows the meeting."""
    try:
        await editing.edit(before.conference_id, _spec(before), fields)
    except Exception:
        log.exception("could not restore conference %s after a failed edit", before.conference_id)


async def apply_edit(command: EditMeeting, request: Request, deps: Deps) -> Edited:
    """Check, send, store; nothing changes where a step fails."""
    async with deps.uow(transaction=False) as uow:
        meeting = await find_meeting(uow, request, command.meeting_ref)
        ensure_may_change(meeting, request)
    backend = deps.backend_named(meeting.backend)
    editing = backend.editing
    if editing is None:
        raise UserError("edit.not_offered", id=meeting.id, backend=backend.name)
    after = _changes(meeting, command, request)
    fields = changed_fields(meeting, after)
    if not fields:
        return Edited(meeting, meeting, fields, backend)
    await _send(editing, meeting, after, fields, request)
    try:
        stored, shown = await _store(meeting, after, fields, deps, request)
    except Exception:
        log.exception("could not store the edit of meeting %s", meeting.id)
        await _restore(editing, meeting, fields)
        raise UserError("edit.not_stored", id=meeting.id) from None
    return Edited(meeting, stored, fields, backend, shown)


def change_lines(edited: Edited, request: Request) -> tuple[Text, ...]:
    """What changed, old → new, one line each."""
    t = request.t
    before, after = edited.before, edited.after
    shown = {
        EditField.SCHEDULE: (
            describe_when(before, request.audience),
            describe_when(after, request.audience),
        ),
        EditField.DURATION: (
            _duration(before.duration, request),
            _duration(after.duration, request),
        ),
        EditField.TOPIC: (before.topic, after.topic),
    }
    return tuple(
        Text(t(f"edit.changed.{field.value}", old=shown[field][0], new=shown[field][1]), Tone.MUTED)
        for field in FIELD_ORDER
        if field in edited.fields
    )


def unchanged(command: EditMeeting, edited: Edited, request: Request) -> Reply:
    """An edit that changes nothing says what the meeting already has, for
    each field the command gave."""
    meeting = edited.after
    given = {
        EditField.SCHEDULE: any(
            v is not None for v in (command.schedule, command.at, command.day, command.days)
        ),
        EditField.DURATION: command.duration is not None,
        EditField.TOPIC: command.topic is not None,
    }
    values = {
        EditField.SCHEDULE: describe_when(meeting, request.audience),
        EditField.DURATION: _duration(meeting.duration, request),
        EditField.TOPIC: meeting.topic,
    }
    what = request.t("edit.same.and").join(
        request.t(f"edit.same.{field.value}", value=values[field])
        for field in FIELD_ORDER
        if given[field]
    )
    return Reply((Text(request.t("edit.unchanged", id=meeting.id, what=what)),))


def _duration(value: timedelta | None, request: Request) -> str:
    return formatting.duration(value, request.t) if value is not None else request.t("edit.none")


def edit_of(form: MeetingForm, read: ParseResult) -> ParseResult:
    """A submitted form as its command: an edit of the meeting it names (what
    it shows unchanged stays), else the new meeting it reads as."""
    if not form.meeting_ref or not isinstance(read, NewMeeting):
        return read
    return EditMeeting(
        form.meeting_ref,
        schedule=read.schedule,
        duration=read.duration,
        topic=read.topic or None,
    )


def week_of(rule: Weekly, now: datetime) -> list[datetime]:
    """The rule's next start on each of its days."""
    return weekly_occurrences(rule, now, len(rule.days))


def prefilled(meeting: Meeting, request: Request) -> MeetingForm:
    """The meeting as its form shows it, in the reader's zone."""
    assert meeting.id is not None
    day: date | None
    days: frozenset[Weekday]
    match meeting.schedule:
        case Once(start=start):
            local = to_zone(start, request.zone)
            at, day, days = local.time().replace(tzinfo=None), local.date(), frozenset()
        case Weekly() as rule if rule.zone == request.zone:
            at, day, days = rule.at, None, rule.days
        case Weekly() as rule:  # the rule as the reader's clock shows its next week
            starts = [to_zone(s, request.zone) for s in week_of(rule, request.now)]
            at, day = starts[0].time().replace(tzinfo=None), None
            days = frozenset(Weekday(s.weekday()) for s in starts)
        case Instant():
            raise UserError("edit.what", id=meeting.id)
    return MeetingForm(
        at=at,
        day=day,
        days=days,
        duration=meeting.duration,
        topic=meeting.topic,
        meeting_ref=str(meeting.id),
    )


async def _open_form(command: EditMeeting, request: Request, deps: Deps) -> Reply:
    async with deps.uow(transaction=False) as uow:
        meeting = await find_meeting(uow, request, command.meeting_ref)
        ensure_may_change(meeting, request)
    form = prefilled(meeting, request)
    note = Text(request.t("edit.form", id=meeting.id), Tone.MUTED)
    return Reply((note,), Visibility.PRIVATE, form=form)


async def handle_edit(command: EditMeeting, request: Request, deps: Deps) -> Reply:
    if command.empty:
        if request.capabilities.modals:
            return await _open_form(command, request, deps)
        raise UserError("edit.what", id=command.meeting_ref)
    edited = await apply_edit(command, request, deps)
    t = request.t
    meeting = edited.after
    if not edited.fields:
        return unchanged(command, edited, request)
    card = meeting_card(
        meeting,
        request.audience,
        features_of(edited.backend),
        request.card_buttons,
        headline=t("edit.done", id=meeting.id),
    )
    # Its state as /meet info and the live card say it.
    card = with_state(card, shown_view(meeting, edited.shown, request.now), t)
    return replace(
        card, blocks=(*card.blocks[:1], *change_lines(edited, request), *card.blocks[1:])
    )


EDIT = CommandSpec(
    EditMeeting,
    "edit",
    handle_edit,
    EX_EDIT,
    en=("edit", "change", "reschedule", "move"),
    ru=("изменить", "перенести", "редактировать"),
    parse=parse_edit,
    problems=(EDIT_NOW, EDIT_PEOPLE, MOVE_NO_TIME, EDIT_WEEK),
)
