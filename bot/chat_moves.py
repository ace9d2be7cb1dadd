"""A chat that changes its id keeps its meetings, settings and reminders.

Telegram gives a group a new id when it becomes a supergroup; without the move,
every reminder for that group would fail against the old id.
"""

from __future__ import annotations

import logging

from bot.chat import ChatRef
from bot.ports import UnitOfWorkFactory

log = logging.getLogger(__name__)


async def move_chat(uow: UnitOfWorkFactory, old: ChatRef, new: ChatRef) -> int:
    """Move everything kept under ``old`` to ``new``; returns the meetings moved.
    Safe to repeat: Telegram announces a migration in both chats."""
    if (old.platform, old.workspace_id) != (new.platform, new.workspace_id):
        raise ValueError("a chat moves within its own platform and workspace")
    if old == new:
        return 0
    async with uow() as work:
        moved = await work.chats.move(old, new)
        await work.commit()
    if moved:
        log.info("chat %s is now %s: %d meeting(s) moved", old.key, new.key, moved)
    return moved
