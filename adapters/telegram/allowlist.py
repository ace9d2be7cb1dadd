"""``TELEGRAM_ALLOWED_CHATS``: only listed chats use the bot.

A command from any other chat gets one short answer naming the chat's id (so
whoever runs the bridge knows what to add) and changes nothing; after that
answer the bot stays silent there, whatever arrives. "Once" is a unique row
in the database, so it holds across restarts and replicas alike.

One thing passes from any private chat: ``/start <token>``, the deep link that
hands a person what an allowed chat kept for them (``answers``). The token
is the permission, and it hands over nothing but that. And a bridge admin's
own private chat always passes: link requests are sent there to be approved.
"""

from __future__ import annotations

import logging
import re

from telegram import Chat, Message, Update
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, ContextTypes

from adapters.telegram.texts import translator
from adapters.telegram.updates import user_lang
from bot.ports import UnitOfWorkFactory

log = logging.getLogger(__name__)

_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@(?P<bot>[A-Za-z0-9_]{1,64}))?(?:\s|$)")


def is_command_for(message: Message | None, bot_username: str) -> bool:
    """A ``/command`` addressed to this bot (or to no bot in particular)."""
    match = _COMMAND.match(message.text or "") if message is not None else None
    if match is None:
        return False
    addressed = match["bot"]
    return addressed is None or addressed.lower() == bot_username.lower()


_HAND_OVER = re.compile(r"/start(?:@[A-Za-z0-9_]{1,64})? [A-Za-z0-9_-]{32,64}\s*")


def is_hand_over(message: Message | None) -> bool:
    """``/start <token>`` in a private chat."""
    if message is None or message.chat.type != Chat.PRIVATE:
        return False
    return _HAND_OVER.fullmatch(message.text or "") is not None


class ChatAllowlist:
    """Runs before every other handler; stops what comes from a chat not listed."""

    def __init__(
        self,
        allowed: frozenset[int] | None,
        uow: UnitOfWorkFactory,
        admins: frozenset[int] = frozenset(),
    ) -> None:
        self._allowed = allowed  # None: every chat
        self._uow = uow
        self._admins = admins  # a private chat's id is its person's id

    def allows(self, chat_id: int) -> bool:
        return self._allowed is None or chat_id in self._allowed or chat_id in self._admins

    async def __call__(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat = update.effective_chat
        message = update.effective_message
        if chat is None or self.allows(chat.id) or is_hand_over(message):
            return
        query = update.callback_query
        if query is not None:  # an old keyboard: stop the spinner, say nothing
            try:
                await query.answer()
            except TelegramError as error:
                log.warning("could not answer a button press: %s", error.message)
        elif is_command_for(message, context.bot.username) and await self._first_time(
            context.bot.id, chat.id
        ):
            assert message is not None
            t = translator(user_lang(message.from_user) or "en")
            try:
                await context.bot.send_message(chat.id, t("telegram.not_allowed", chat_id=chat.id))
            except TelegramError as error:
                log.warning("could not answer chat %s: %s", chat.id, error.message)
            log.warning("answered chat %s once: it is not on TELEGRAM_ALLOWED_CHATS", chat.id)
            raise ApplicationHandlerStop
        log.info("ignored an update from chat %s: it is not on TELEGRAM_ALLOWED_CHATS", chat.id)
        raise ApplicationHandlerStop

    async def _first_time(self, bot_id: int, chat_id: int) -> bool:
        async with self._uow(transaction=False) as uow:
            first = await uow.deliveries.first_time(f"telegram:{bot_id}:unlisted", str(chat_id))
            await uow.commit()
        return first
