"""Who administers a chat, asked of Telegram itself (``getChatMember``)."""

from __future__ import annotations

import logging

from telegram import Bot, Chat, ChatMember
from telegram.error import TelegramError

from adapters.telegram.updates import STAND_INS
from bot.chat import Standing

log = logging.getLogger(__name__)

ADMIN_STATUSES = frozenset({ChatMember.OWNER, ChatMember.ADMINISTRATOR})


async def standing_in(bot: Bot, chat: Chat, user_id: int) -> Standing:
    """An admin of ``chat`` manages its meetings, nothing bot-wide."""
    admin = await is_chat_admin(bot, chat, user_id)
    return Standing.CHAT_ADMIN if admin else Standing.MEMBER


async def is_chat_admin(bot: Bot, chat: Chat, user_id: int) -> bool:
    """The chat's creator or one of its administrators. A private chat has no
    administrator: there only the creator of a meeting may change it. When
    Telegram cannot tell, the answer is no: rights are never assumed; nor for
    its stand-in accounts (a post as a channel or an anonymous admin)."""
    if chat.type == Chat.PRIVATE or user_id in STAND_INS:
        return False
    try:
        member = await bot.get_chat_member(chat.id, user_id)
    except TelegramError as error:
        log.warning("could not check the membership in chat %s: %s", chat.id, error.message)
        return False
    return member.status in ADMIN_STATUSES
