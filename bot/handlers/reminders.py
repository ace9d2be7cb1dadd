"""``/meet remind <id> 10m,1h | off`` and ``/meet remind default 10m | off``."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from bot import formatting
from bot.commands import RemindMeeting, SetDefaultReminders
from bot.context import Deps, Request
from bot.errors import UserError
from bot.grammar import keys
from bot.grammar.manage import parse_remind
from bot.handlers.lookup import ensure_may_change, find_meeting
from bot.handlers.spec import CommandSpec
from bot.meeting import MeetingStatus
from bot.reminders.planning import replan
from bot.reply import Field, Fields, Reply, Text
from bot.schedule import Instant


def offsets_said(offsets: tuple[timedelta, ...], request: Request) -> dict[str, str]:
    """``{reminders}`` ("1 reminder", "2 напоминания") and ``{offsets}`` ("15 min, 1 h")."""
    return {
        "reminders": request.t.plural("reminder.count", len(offsets)),
        "offsets": ", ".join(formatting.offset(o, request.t) for o in offsets),
    }


async def handle_remind(command: RemindMeeting, request: Request, deps: Deps) -> Reply:
    t = request.t
    async with deps.uow() as uow:
        found = await find_meeting(uow, request, command.meeting_ref)
        assert found.id is not None
        # Read again, locked, to write: an edit or invite under way is waited
        # for and kept, not written over.
        meeting = await uow.meetings.get_for_update(found.id) or found
        if meeting.status is MeetingStatus.CANCELLED:
            raise UserError("error.was_cancelled", id=meeting.id)
        ensure_may_change(meeting, request)
        if isinstance(meeting.schedule, Instant):
            raise UserError("remind.instant", id=meeting.id)
        meeting = meeting.with_changes(reminders=command.offsets)
        await uow.meetings.save(meeting)
        await replan(uow, meeting, deps, request.now)
        await uow.commit()
    if not command.offsets:
        return Reply((Text(t("remind.off", id=meeting.id, topic=meeting.topic)),))
    said = offsets_said(command.offsets, request)
    return Reply((Text(t("remind.set", id=meeting.id, topic=meeting.topic, **said)),))


async def handle_default_reminders(
    command: SetDefaultReminders, request: Request, deps: Deps
) -> Reply:
    chat = request.input.chat
    async with deps.uow() as uow:
        current = await uow.chat_settings.get(chat)
        await uow.chat_settings.save(chat, replace(current, reminders=command.offsets))
        await uow.commit()
    if not command.offsets:
        return Reply((Text(request.t("remind.default_off")),))
    said = offsets_said(command.offsets, request)
    return Reply((Text(request.t("remind.default_set", **said)),))


def next_reminder_text(at: datetime | None, request: Request) -> str:
    if at is None:
        return request.t("reminder.none")
    return formatting.when(at, request.zone, request.lang)


def with_next_reminder(card: Reply, at: datetime | None, request: Request) -> Reply:
    """The card with a "Next reminder" field added to its fields."""
    field = Field(request.t("reminder.next"), next_reminder_text(at, request))
    blocks = tuple(
        Fields((*block.items, field)) if isinstance(block, Fields) else block
        for block in card.blocks
    )
    return replace(card, blocks=blocks)


def reminder_suffix(line: str, at: datetime | None, request: Request) -> str:
    """A ``list`` line with the meeting's next reminder, when it has one."""
    if at is None:
        return line
    when = formatting.when(at, request.zone, request.lang)
    return f"{line} · {request.t('reminder.list_suffix', when=when)}"


REMIND = CommandSpec(
    RemindMeeting,
    "remind",
    handle_remind,
    keys.EX_REMIND,
    en=("remind", "reminders", "reminder"),
    ru=("напомнить", "напоминания", "напоминание"),
    # Also reads ``remind default …``, a SetDefaultReminders.
    parse=parse_remind,
)
DEFAULT_REMINDERS = CommandSpec(
    SetDefaultReminders,
    "remind_default",
    handle_default_reminders,
    keys.EX_REMIND,
    help_topic="remind",
)
