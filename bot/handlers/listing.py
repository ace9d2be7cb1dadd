"""``/meet list`` and ``/meet info <id>``."""

from __future__ import annotations

from bot.cards import list_line, meeting_card, pin_note
from bot.commands import ListMeetings, MeetingInfo
from bot.context import Deps, Request
from bot.grammar import keys
from bot.grammar.manage import parse_list, ref_only
from bot.handlers.lookup import find_meeting
from bot.handlers.mine import handle_my_meetings
from bot.handlers.reminders import reminder_suffix, with_next_reminder
from bot.handlers.spec import CommandSpec
from bot.live.card import shown_view, with_state
from bot.ports import features_of
from bot.reply import Reply, Text, Title, Tone
from bot.states import is_over


async def handle_list(command: ListMeetings, request: Request, deps: Deps) -> Reply:
    if command.mine:
        return await handle_my_meetings(request, deps, everything=command.everything)
    t = request.t
    # Reads only: no transaction (two round trips fewer); each read sees what
    # was committed before it, as under READ COMMITTED inside one.
    async with deps.uow(transaction=False) as uow:
        stored = await uow.meetings.list_active(request.input.chat)
        upcoming = await uow.ledger.next_reminders([m.id for m in stored if m.id is not None])
    # Ended one-time meetings only when asked for (``list all``).
    meetings = [m for m in stored if command.everything or not is_over(m, request.now)]
    hidden = len(stored) - len(meetings)
    if not meetings and not hidden:
        return Reply((Text(t("list.empty")),))
    lines = tuple(
        Text(reminder_suffix(list_line(m, request.audience), upcoming.get(m.id or 0), request))
        for m in meetings
    )
    if not meetings:
        lines = (Text(t("list.empty")),)
    if hidden:
        lines += (Text(t("list.ended_hidden", count=hidden), Tone.MUTED),)
    title = t("list.all_title" if command.everything else "list.title")
    return Reply((Title(title), *lines))


async def handle_info(command: MeetingInfo, request: Request, deps: Deps) -> Reply:
    async with deps.uow() as uow:
        meeting = await find_meeting(uow, request, command.meeting_ref)
        assert meeting.id is not None
        next_reminder = await uow.ledger.next_reminder(meeting.id)
        live = await uow.live.get(meeting.id)
    # Ask the server for the current join details: they may have changed there.
    backend = deps.backend_named(meeting.backend)
    conference = await backend.get(meeting.conference_id)
    if conference.join != meeting.join:
        async with deps.uow() as uow:
            # Re-read, locked: only the join details are written over what
            # changed the meeting while the server was asked.
            current = await uow.meetings.get_for_update(meeting.id) or meeting
            meeting = current.with_changes(join=conference.join)
            await uow.meetings.save(meeting)
            await uow.commit()
    card = meeting_card(meeting, request.audience, features_of(backend), request.card_buttons)
    # The state its live card shows (who is in), as far as the clock agrees.
    view = shown_view(meeting, live.shown if live is not None else None, request.now)
    card = with_state(card, view, request.t)
    card = with_next_reminder(card, next_reminder, request)
    notes: tuple[Reply, ...] = ()
    if conference.pin and meeting.creator.key == request.input.user.key:
        notes = (pin_note(meeting, conference.pin, request.audience),)
    return Reply(card.blocks, card.visibility, notes)


LIST = CommandSpec(
    ListMeetings,
    "list",
    handle_list,
    keys.EX_LIST,
    en=("list", "ls"),
    ru=("список", "встречи"),
    parse=parse_list,
)
INFO = CommandSpec(
    MeetingInfo,
    "info",
    handle_info,
    keys.EX_INFO,
    en=("info", "show"),
    ru=("инфо", "информация", "показать"),
    parse=ref_only(MeetingInfo, keys.EX_INFO),
)
