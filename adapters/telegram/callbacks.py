"""Button presses: one handler for all. The callback data is a button token;
the catalogue decodes it into the command it stands for, served by the core
(so the same checks apply: only the creator or an admin may cancel), and every
press is answered, or Telegram leaves the button spinning."""

from __future__ import annotations

import logging

from telegram import CallbackQuery, Chat, Message, Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from adapters.telegram.admin import standing_in
from adapters.telegram.handlers import Bridge
from adapters.telegram.texts import translator
from adapters.telegram.updates import chat_ref, user_lang, user_ref
from bot.catalogue import CATALOGUE
from bot.commands import CommandInput

log = logging.getLogger(__name__)

# Telegram shows at most 200 characters in a callback answer.
MAX_ANSWER = 200


class CallbackHandlers:
    def __init__(self, bridge: Bridge) -> None:
        self._bridge = bridge
        self._answers = bridge.answers()

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
        pressed = CATALOGUE.pressed(query.data)
        message = query.message
        if pressed is None or not isinstance(message, Message):
            await _answer(query, t("telegram.button.expired"), alert=True)
            return True
        user = query.from_user
        standing = await standing_in(context.bot, message.chat, user.id)
        command = CommandInput(
            text="",
            command=pressed,
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
        await self._answers.answer(
            context.bot, reply, chat=message.chat, person=user, reply_to=message.message_id
        )
        return True


async def _answer(query: CallbackQuery, text: str = "", *, alert: bool = False) -> None:
    if len(text) > MAX_ANSWER:
        text = text[: MAX_ANSWER - 1] + "…"
    try:
        await query.answer(text or None, show_alert=alert)
    except TelegramError as error:  # e.g. the query is too old to answer
        log.warning("could not answer a button press: %s", error.message)
