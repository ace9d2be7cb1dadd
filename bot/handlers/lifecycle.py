"""``/meet cancel|start|stop <id>``."""

from __future__ import annotations

from bot.card_buttons import CardButton
from bot.commands import CancelMeeting, Command, StartMeeting, StopMeeting
from bot.context import Deps, Request
from bot.errors import BackendError, Refusal, UserError
from bot.grammar import Args, keys
from bot.grammar.context import Context
from bot.grammar.errors import GrammarError
from bot.grammar.manage import ALL_WORDS, ref_only
from bot.handlers.lookup import ensure_may_change, find_meeting
from bot.handlers.spec import CommandSpec, meeting_button
from bot.meeting import LiveState, Meeting, MeetingStatus
from bot.ports import ConferenceBackend, PlannedAction
from bot.reminders.plan import watch_now
from bot.reminders.planning import replan, timing_for
from bot.reply import ActionKind, Reply, Text
from bot.schedule import Instant

CANCEL_ONE = "grammar.cancel_one"  # {word}
_parse_ref = ref_only(CancelMeeting, keys.EX_CANCEL)


def parse_cancel(args: Args, ctx: Context) -> Command:
    """``cancel <id>``; ``cancel all`` is told that a cancel takes one meeting:
    "all" is never read as a meeting's reference, nor as several meetings."""
    if args and (args[0].low in ALL_WORDS or args[0].text == "*"):
        raise GrammarError(CANCEL_ONE, keys.EX_CANCEL, word=args[0].text)
    return _parse_ref(args, ctx)


async def handle_cancel(command: CancelMeeting, request: Request, deps: Deps) -> Reply:
    meeting, rows = await _mark(command.meeting_ref, request, deps)
    backend = deps.backend_named(meeting.backend)
    if rows is None:
        # Cancelled before: the server is asked again all the same. A cancel
        # cut off between its mark and the server (a process killed) left the
        # conference there; deleting one already gone is harmless.
        await _delete(backend, meeting.conference_id)
        raise UserError("error.cancelled", id=meeting.id)
    try:
        await _delete(backend, meeting.conference_id)
    except BaseException:
        await _unmark(meeting, rows, deps)
        raise
    return Reply((Text(request.t("cancel.done", id=meeting.id, topic=meeting.topic)),))


async def _delete(backend: ConferenceBackend, conference_id: str) -> None:
    try:
        await backend.delete(conference_id)
    except BackendError as exc:
        if exc.refusal is Refusal.RUNNING:
            # A running conference cannot be deleted: end it first.
            await backend.stop(conference_id)
            await backend.delete(conference_id)
        elif exc.refusal is not Refusal.NOT_FOUND:  # already gone on the server
            raise


async def _mark(
    ref: str, request: Request, deps: Deps
) -> tuple[Meeting, list[PlannedAction] | None]:
    """The meeting, marked cancelled before the server is asked: a second
    cancel under way waits for this mark and is told it is already cancelled.
    With it, the pending rows it drops; ``None``: it was cancelled before."""
    async with deps.uow() as uow:
        found = await find_meeting(uow, request, ref, cancelling=True)
        ensure_may_change(found, request)
        assert found.id is not None
        # Re-read, locked: what changed the meeting meanwhile (an invite, an
        # edit) is kept; only its status is written.
        current = await uow.meetings.get_for_update(found.id) or found
        if current.status is MeetingStatus.CANCELLED:
            return current, None
        rows = await uow.ledger.pending(found.id)
        cancelled = current.with_changes(status=MeetingStatus.CANCELLED)
        await uow.meetings.save(cancelled)
        await replan(uow, cancelled, deps, request.now)  # drops the pending reminders
        await uow.commit()
    return cancelled, rows


async def _unmark(meeting: Meeting, rows: list[PlannedAction], deps: Deps) -> None:
    """The server refused the cancel: the meeting is scheduled again, as it
    stands now, with the rows the cancel dropped put back as they were. Not
    planned again from now: that plan has no start left to watch for a
    meeting under way (its card would stay as it was) nor the end of one."""
    assert meeting.id is not None
    async with deps.uow() as uow:
        current = await uow.meetings.get_for_update(meeting.id)
        if current is None or current.status is not MeetingStatus.CANCELLED:
            return
        scheduled = current.with_changes(status=MeetingStatus.SCHEDULED)
        await uow.meetings.save(scheduled)
        # Added, not replacing: a watch being polled at the cancel (not
        # pending then) and taken up again meanwhile is kept too.
        await uow.ledger.add(meeting.id, rows)
        await uow.commit()


async def _switch(ref: str, request: Request, deps: Deps, *, run: bool) -> Reply:
    async with deps.uow() as uow:
        meeting = await find_meeting(uow, request, ref)
        ensure_may_change(meeting, request)
    backend = deps.backend_named(meeting.backend)
    if run:
        await backend.start(meeting.conference_id)
    else:
        await backend.stop(meeting.conference_id)
    assert meeting.id is not None
    state = LiveState.RUNNING if run else LiveState.ENDED
    async with deps.uow() as uow:
        # Re-read, locked: a cancel that ended while the server was asked
        # stays; the meeting is not recorded running, nor watched, after it.
        current = await uow.meetings.get_for_update(meeting.id)
        if current is None or current.status is MeetingStatus.CANCELLED:
            raise UserError("error.was_cancelled", id=meeting.id)
        await uow.meetings.record_state(meeting.id, state, since=request.now)
        if run:
            # A meeting started by hand is watched from now (its card goes live).
            rows = watch_now(current, request.now, timing_for(current, deps))
            if rows:
                await uow.ledger.add(meeting.id, rows)
        await uow.commit()
    key = "start.done" if run else "stop.done"
    return Reply((Text(request.t(key, id=meeting.id, topic=meeting.topic)),))


async def handle_start(command: StartMeeting, request: Request, deps: Deps) -> Reply:
    return await _switch(command.meeting_ref, request, deps, run=True)


async def handle_stop(command: StopMeeting, request: Request, deps: Deps) -> Reply:
    return await _switch(command.meeting_ref, request, deps, run=False)


CANCEL = CommandSpec(
    CancelMeeting,
    "cancel",
    handle_cancel,
    keys.EX_CANCEL,
    en=("cancel", "delete"),
    ru=("отмена", "отменить", "удалить"),
    parse=parse_cancel,
    problems=(CANCEL_ONE,),
    button=meeting_button(
        "cancel",
        CancelMeeting,
        lambda command: command.meeting_ref,
        card=CardButton(
            "card.action.cancel",
            CancelMeeting,
            lambda offer: offer.may_change,
            place=90,
            kind=ActionKind.CANCEL,
            confirm=True,
        ),
    ),
)
START = CommandSpec(
    StartMeeting,
    "start",
    handle_start,
    keys.EX_START,
    en=("start", "run"),
    ru=("старт", "запустить", "начать"),
    parse=ref_only(StartMeeting, keys.EX_START),
    # Open a scheduled meeting's room early, for whoever may change it; one
    # started at once, or already running, has nothing to start.
    button=meeting_button(
        "start",
        StartMeeting,
        lambda command: command.meeting_ref,
        card=CardButton(
            "card.action.start",
            StartMeeting,
            lambda offer: (
                offer.may_change
                and not isinstance(offer.meeting.schedule, Instant)
                and offer.meeting.state is not LiveState.RUNNING
            ),
            place=30,
        ),
    ),
)
STOP = CommandSpec(
    StopMeeting,
    "stop",
    handle_stop,
    keys.EX_STOP,
    en=("stop", "end"),
    ru=("стоп", "остановить", "завершить"),
    parse=ref_only(StopMeeting, keys.EX_STOP),
    # The forgotten-meeting note's Stop button.
    button=meeting_button("stop", StopMeeting, lambda command: command.meeting_ref),
)
