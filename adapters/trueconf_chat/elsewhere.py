"""Presses only on this chat's meetings. A press runs its command in the chat
it is pressed in, where a meeting of another chat is not found (``/meet list
mine`` lists the person's meetings of every chat): its buttons could only
fail, so they are left off, with a line saying where its commands work. The
presser is never taken to another chat's meeting (no wider reach than typing)."""

from __future__ import annotations

from dataclasses import replace

from adapters.trueconf_chat.texts import translator
from bot.chat import ChatRef, Lang
from bot.ports import UnitOfWorkFactory
from bot.reply import Action, ActionKind, Actions, Block, Reply, Text, Tone

# Buttons about no meeting (a question's answers, an admin's approval of a link).
_NOT_A_MEETING = frozenset({ActionKind.CHOOSE, ActionKind.APPROVE_LINK})


def _on_meeting(action: Action) -> bool:
    return action.command is not None and action.kind not in _NOT_A_MEETING


async def only_here(uow: UnitOfWorkFactory, reply: Reply, chat: ChatRef, lang: Lang) -> Reply:
    """``reply`` without the presses on meetings that are not ``chat``'s."""
    ids = {
        action.meeting_id
        for block in reply.blocks
        if isinstance(block, Actions)
        for action in block.items
        if _on_meeting(action)
    }
    if not ids:
        return reply
    here: set[int] = set()
    async with uow(transaction=False) as unit:
        for meeting_id in sorted(ids):
            meeting = await unit.meetings.get(meeting_id)
            if meeting is not None and meeting.chat.key == chat.key:
                here.add(meeting_id)
    if here == ids:
        return reply
    blocks: list[Block] = [
        Actions(tuple(a for a in block.items if not _on_meeting(a) or a.meeting_id in here))
        if isinstance(block, Actions)
        else block
        for block in reply.blocks
    ]
    blocks.append(Text(translator(lang)("trueconf_chat.other_chats"), Tone.MUTED))
    return replace(reply, blocks=tuple(blocks))
