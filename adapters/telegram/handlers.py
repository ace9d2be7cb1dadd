"""``/meet`` (and ``/help``, ``/start``) typed in a chat: to the core and back.
``/start <token>`` in a private chat hands over what waited for the person.
A plain line in a private chat is answered with the ``/meet`` line it most
likely meant (shown, not run)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace

from telegram import Chat, Message, Update
from telegram.ext import ApplicationHandlerStop, ContextTypes

from adapters.plain_text import hint
from adapters.telegram.admin import standing_in
from adapters.telegram.answers import Answers
from adapters.telegram.messenger import capabilities
from adapters.telegram.render import OpenLink
from adapters.telegram.texts import translator
from adapters.telegram.updates import chat_ref_by_id, command_input, user_lang
from bot.chat import Identity
from bot.chat_moves import move_chat
from bot.clock import Clock, SystemClock
from bot.policy import BridgeAdmins
from bot.ports import UnitOfWorkFactory
from bot.reply import Capabilities
from bot.service import CommandService

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Bridge:
    """What the handlers need of the bridge. ``open_link`` makes app deeplinks
    clickable through the service's https /open page (when PUBLIC_URL is set)."""

    service: CommandService
    uow: UnitOfWorkFactory
    open_link: OpenLink | None = None
    clock: Clock = field(default_factory=SystemClock)
    admins: BridgeAdmins = field(default_factory=BridgeAdmins)
    zone: str = "UTC"  # DEFAULT_TIMEZONE: what a chat without /meet timezone reads in

    def answers(self) -> Answers:
        return Answers(self.uow, self.clock, self.open_link, self.admins.telegram_ids())

    @property
    def capabilities(self) -> Capabilities:
        return capabilities(self.open_link)


class CommandHandlers:
    def __init__(self, bridge: Bridge) -> None:
        self._bridge = bridge
        self._answers = bridge.answers()

    async def dedupe(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Runs before every handler: an update Telegram delivers again (a webhook
        retry) is recorded once, by a unique insert, and the repeat is dropped."""
        source = f"telegram:{context.bot.id}"
        async with self._bridge.uow(transaction=False) as uow:
            first = await uow.deliveries.first_time(source, str(update.update_id))
            await uow.commit()
        if not first:
            log.info("update %s was already handled; skipped", update.update_id)
            raise ApplicationHandlerStop

    async def on_meet(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is not None:
            await self._serve(message, context, text=None)

    async def on_help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is not None:
            await self._serve(message, context, text="help")

    async def on_start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """``/start`` alone is help; ``/start <token>`` (a deep link) in a private
        chat hands over what waited for this person."""
        message = update.effective_message
        if message is None:
            return
        person = message.from_user
        if context.args and message.chat.type == Chat.PRIVATE and person is not None:
            await self._answers.hand_over(
                context.bot, context.args[0], person=person, chat_id=message.chat.id
            )
            return
        await self._serve(message, context, text="help")

    async def on_plain_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A line without a command in a private chat (the filter sees to that):
        one short answer saying commands start with /meet, and the line the
        person most likely meant. A bot's message gets none."""
        message = update.effective_message
        user = message.from_user if message is not None else None
        if message is None or user is None or user.is_bot or not message.text:
            return
        bridge = self._bridge
        found = await hint(
            bridge.uow,
            chat_ref_by_id(message.chat.id, context.bot.id),
            message.text,
            now=bridge.clock.now(),
            zone=bridge.zone,
        )
        lang = found.lang or user_lang(user) or "en"
        key = "telegram.plain_text_help" if found.is_help else "telegram.plain_text"
        await self._answers.answer(
            context.bot,
            found.reply(translator(lang)(key)),
            chat=message.chat,
            person=user,
            reply_to=message.message_id,
            lang=lang,
        )

    async def on_migrate(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A group became a supergroup with a new id; Telegram says so in both
        chats. Its meetings and reminders follow (the second notice moves nothing)."""
        message = update.effective_message
        if message is None:
            return
        if message.migrate_to_chat_id:
            old_id, new_id = message.chat.id, message.migrate_to_chat_id
        elif message.migrate_from_chat_id:
            old_id, new_id = message.migrate_from_chat_id, message.chat.id
        else:
            return
        bot_id = context.bot.id
        await move_chat(
            self._bridge.uow, chat_ref_by_id(old_id, bot_id), chat_ref_by_id(new_id, bot_id)
        )

    async def _serve(
        self, message: Message, context: ContextTypes.DEFAULT_TYPE, *, text: str | None
    ) -> None:
        user = message.from_user
        if user is None:
            return
        standing = await standing_in(context.bot, message.chat, user.id)
        command = command_input(message, bot_id=context.bot.id, standing=standing)
        if command is None:
            return
        if text is not None:
            command = replace(command, text=text)
        bridge = self._bridge
        reply = await bridge.service.handle(command, bridge.capabilities)
        await self._answers.answer(
            context.bot,
            reply,
            chat=message.chat,
            person=user if command.identity is Identity.PERSON else None,
            reply_to=message.message_id,
            lang=command.user_lang or "en",
        )
