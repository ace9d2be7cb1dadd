"""``/meet list mine``: the person's own upcoming meetings in every chat of the
workspace (created or invited to), each with its actions. Messengers show it
where there is no chat to list (Slack's App Home)."""

from __future__ import annotations

from bot.cards import list_line
from bot.commands import CancelMeeting, GuestLink, MeetingCalendar
from bot.context import Deps, Request
from bot.reply import Action, ActionKind, Actions, Block, Reply, Text, Title
from bot.schedule import Instant

# App Home and chats alike stay readable; older ones are in each chat's list.
MAX_MEETINGS = 20


async def handle_my_meetings(request: Request, deps: Deps) -> Reply:
    t = request.t
    async with deps.uow() as uow:
        meetings = await uow.meetings.list_for_user(request.input.user)
    if not meetings:
        return Reply((Text(t("list.mine_empty")),))
    blocks: list[Block] = [Title(t("list.mine_title"))]
    for meeting in meetings[-MAX_MEETINGS:]:
        assert meeting.id is not None
        ref = str(meeting.id)
        actions = [
            Action(ActionKind.GUEST, t("card.action.guest"), meeting.id, command=GuestLink(ref))
        ]
        if not isinstance(meeting.schedule, Instant):
            calendar = MeetingCalendar(ref)
            actions.append(
                Action(ActionKind.CALENDAR, t("card.action.calendar"), meeting.id, command=calendar)
            )
        if meeting.creator.key == request.input.user.key:
            cancel = CancelMeeting(ref)
            actions.append(
                Action(ActionKind.CANCEL, t("card.action.cancel"), meeting.id, command=cancel)
            )
        blocks += [Text(list_line(meeting, request)), Actions(tuple(actions))]
    return Reply(tuple(blocks))
