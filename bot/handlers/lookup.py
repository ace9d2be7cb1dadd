"""Finding the meeting a command names, and who may change it."""

from __future__ import annotations

from bot.context import Request
from bot.errors import UserError
from bot.meeting import Meeting, MeetingStatus
from bot.policy import may_manage
from bot.ports import UnitOfWork


async def find_meeting(
    uow: UnitOfWork, request: Request, ref: str, *, cancelling: bool = False
) -> Meeting:
    """The meeting ``ref`` names in this chat; a cancelled one is refused as
    "was cancelled", except to a cancel, which asks the server again."""
    meeting = await uow.meetings.find_in_chat(request.input.chat, ref)
    if meeting is None:
        raise UserError("error.meeting_not_found", ref=ref)
    request.audit.about(meeting)  # the command's audit line names it, however it ends
    if meeting.status is MeetingStatus.CANCELLED and not cancelling:
        raise UserError("error.was_cancelled", id=meeting.id)
    return meeting


def ensure_may_change(meeting: Meeting, request: Request) -> None:
    """Only the creator or an admin of its chat (or above) may cancel or change a meeting."""
    if may_manage(meeting, request.input, request.role):
        return
    raise UserError("error.not_allowed", id=meeting.id)
