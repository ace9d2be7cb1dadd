"""Who administers a chat, asked of Telegram itself (``getChatMember``)."""

from __future__ import annotations

import logging

from telegram import Bot, Chat, ChatMember
from telegram.error import TelegramError

log = logging.getLogger(__name__)

ADMIN_STATUSES = frozenset({ChatMember.OWNER, ChatMember.ADMINISTRATOR})


async def is_chat_admin(bot: Bot, chat: Chat, user_id: int) -> bool:
    """The chat's creator or one of its administrators. A private chat has no
    administrator: there only the creator of a meeting may change it. When
    Telegram cannot tell, the answer is no: rights are never assumed."""
    if chat.type == Chat.PRIVATE:
        return False
    try:
        member = await bot.get_chat_member(chat.id, user_id)
    except TelegramError as error:
        log.warning("could not check the membership in chat %s: %s", chat.id, error.message)
        return False
    return member.status in ADMIN_STATUSES
