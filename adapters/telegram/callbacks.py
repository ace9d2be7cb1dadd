"""Button presses: each becomes the command it stands for, served by the core
(so the same checks apply: only the creator or an admin may cancel), and every
press is answered, or Telegram leaves the button spinning."""

from __future__ import annotations

import logging

from telegram import CallbackQuery, Chat, Message, Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from adapters.telegram.admin import standing_in
from adapters.telegram.handlers import Bridge
from adapters.telegram.keyboard import Pressed, parse_callback
from adapters.telegram.messenger import answer_in_chat
from adapters.telegram.texts import translator
from adapters.telegram.updates import chat_ref, user_lang, user_ref
from bot.commands import CommandInput
from bot.reply import ActionKind

log = logging.getLogger(__name__)

# Telegram shows at most 200 characters in a callback answer.
MAX_ANSWER = 200


def command_for(pressed: Pressed) -> str:
    """The command line a button stands for."""
    match pressed.kind:
        case ActionKind.CALENDAR:
            return f"calendar {pressed.meeting_id}"
        case ActionKind.GUEST:
            return f"guest {pressed.meeting_id}"
        case ActionKind.CANCEL:
            return f"cancel {pressed.meeting_id}"
        case ActionKind.APPROVE_LINK:
            # The person's id in the grammar's resolved-mention form.
            return f"link <@{pressed.subject}|{pressed.subject}>"
    raise ValueError(f"no command for {pressed.kind}")


class CallbackHandlers:
    def __init__(self, bridge: Bridge) -> None:
        self._bridge = bridge

    async def on_callback(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None:
            return
        answered = False
        try:
            answered = await self._serve(query, context)
        finally:
            if not answered:
                await _answer(query)

    async def _serve(self, query: CallbackQuery, context: ContextTypes.DEFAULT_TYPE) -> bool:
        """Returns whether the query was answered already."""
        t = translator(user_lang(query.from_user) or "en")
        pressed = parse_callback(query.data)
        message = query.message
        if pressed is None or not isinstance(message, Message):
            await _answer(query, t("telegram.button.expired"), alert=True)
            return True
        user = query.from_user
        standing = await standing_in(context.bot, message.chat, user.id)
        command = CommandInput(
            text=command_for(pressed),
            chat=chat_ref(message.chat, context.bot.id),
            user=user_ref(user, context.bot.id),
            user_lang=user_lang(user),
            is_private_chat=message.chat.type == Chat.PRIVATE,
            standing=standing,
        )
        bridge = self._bridge
        reply = await bridge.service.handle(command, bridge.capabilities)
        if reply.is_error:
            # Only the person who pressed sees why it did not work.
            await _answer(query, reply.plain_text(), alert=True)
            return True
        await _answer(query, t("telegram.button.done"))
        await answer_in_chat(
            context.bot,
            reply,
            chat=message.chat,
            user=user,
            reply_to=message.message_id,
            open_link=bridge.open_link,
        )
        return True


async def _answer(query: CallbackQuery, text: str = "", *, alert: bool = False) -> None:
    if len(text) > MAX_ANSWER:
        text = text[: MAX_ANSWER - 1] + "…"
    try:
        await query.answer(text or None, show_alert=alert)
    except TelegramError as error:  # e.g. the query is too old to answer
        log.warning("could not answer a button press: %s", error.message)
