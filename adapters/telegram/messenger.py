"""Sending a ``Reply`` into a Telegram chat: HTML messages, the keyboard on the
last one, files as documents. Every request goes through the bot's rate
limiter, command answers and reminders alike."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace

from telegram import Bot, InlineKeyboardMarkup, InputFile, LinkPreviewOptions, ReplyParameters
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from adapters.telegram.keyboard import keyboard
from adapters.telegram.ratelimit import retry_after_seconds
from adapters.telegram.render import OpenLink, render
from bot.chat import ChatRef, Platform
from bot.errors import DeliveryError
from bot.reply import Capabilities, File, Reply

log = logging.getLogger(__name__)
# Told when a chat turns out to have a new id, so what is stored follows it.
ChatMoved = Callable[[ChatRef, ChatRef], Awaitable[object]]
# A meeting card has several links; a preview of the first one is noise.
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One message as Telegram takes it: HTML text and, on the last of a
    reply's messages, its keyboard."""

    text: str
    markup: InlineKeyboardMarkup | None = None


def outgoing(reply: Reply, open_link: OpenLink | None = None) -> list[Outgoing]:
    """``reply``'s messages (its files aside), split at Telegram's length limit."""
    chunks = render(reply, open_link=open_link)
    markup = keyboard(reply, open_link)
    last = len(chunks) - 1
    return [Outgoing(chunk, markup if i == last else None) for i, chunk in enumerate(chunks)]


async def send_messages(
    bot: Bot, chat_id: int, messages: Sequence[Outgoing], *, reply_to: int | None = None
) -> list[int]:
    """Sends each message; returns their message ids."""
    answer_to = ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to else None
    sent: list[int] = []
    for index, message in enumerate(messages):
        posted = await bot.send_message(
            chat_id,
            message.text,
            parse_mode=ParseMode.HTML,
            reply_markup=message.markup,
            reply_parameters=answer_to if index == 0 else None,
            link_preview_options=_NO_PREVIEW,
        )
        sent.append(posted.message_id)
    return sent


async def send_reply(
    bot: Bot,
    chat_id: int,
    reply: Reply,
    *,
    reply_to: int | None = None,
    open_link: OpenLink | None = None,
) -> str:
    """Post ``reply`` (not its private notes) into ``chat_id``; returns the
    message id when it went out as one message (one that can be edited as a
    whole later), else an empty string."""
    sent = await send_messages(bot, chat_id, outgoing(reply, open_link), reply_to=reply_to)
    answer_to = ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to else None
    for block in reply.blocks:
        if isinstance(block, File):
            document = InputFile(block.content, filename=block.name, attach=True)
            await bot.send_document(chat_id, document, reply_parameters=answer_to)
    return str(sent[0]) if len(sent) == 1 else ""


def _not_modified(error: TelegramError) -> bool:
    return isinstance(error, BadRequest) and "message is not modified" in error.message.lower()


def delivery_error(error: TelegramError) -> DeliveryError:
    """Telegram's refusal in the core's terms: wait and retry, or give up."""
    if isinstance(error, RetryAfter):
        return DeliveryError("rate limited", retry_after=retry_after_seconds(error))
    if isinstance(error, Forbidden):
        return DeliveryError("the bot may not post in this chat", permanent=True)
    if isinstance(error, BadRequest):
        return DeliveryError(f"Telegram refused the message: {error.message}", permanent=True)
    if isinstance(error, NetworkError):
        return DeliveryError("Telegram could not be reached")
    return DeliveryError(f"Telegram error: {error.message}")


def capabilities(open_link: OpenLink | None) -> Capabilities:
    """What Telegram shows: buttons and documents, no ephemeral messages; an
    app link is a button only through the service's https /open page."""
    return Capabilities(
        custom_scheme_links=open_link is not None,
        ephemeral=False,
        buttons=True,
        modals=False,
        file_upload=True,
        edits=True,  # editMessageText
    )


class TelegramMessenger:
    """The ``Messenger`` the reminder dispatcher posts through."""

    def __init__(
        self, bot: Bot, open_link: OpenLink | None = None, on_moved: ChatMoved | None = None
    ) -> None:
        self._bot = bot
        self._open_link = open_link
        self._on_moved = on_moved

    @property
    def platform(self) -> Platform:
        return "telegram"

    deliverable = True  # any process posts through it

    @property
    def capabilities(self) -> Capabilities:
        return capabilities(self._open_link)

    async def send(self, chat: ChatRef, reply: Reply) -> None:
        try:
            await self._send(chat, reply)
        except ChatMigrated as moved:
            # The group became a supergroup: its reminders go to the new id,
            # and the stored chat moves so the next ones do too.
            new_chat = replace(chat, chat_id=str(moved.new_chat_id))
            if self._on_moved is not None:
                await self._on_moved(chat, new_chat)
            try:
                await self._send(new_chat, reply)
            except TelegramError as error:
                raise delivery_error(error) from None
        except TelegramError as error:
            raise delivery_error(error) from None

    async def edit(self, chat: ChatRef, message_id: str, reply: Reply) -> None:
        """editMessageText of a card the bot posted. Telegram refuses an edit
        that changes nothing ("message is not modified"): the card already
        shows it, which is success. A deleted message cannot be edited: the
        refusal is permanent."""
        try:
            chat_id, message = int(chat.chat_id), int(message_id)
        except ValueError:
            raise DeliveryError("not a Telegram message", permanent=True) from None
        parts = outgoing(reply, self._open_link)
        if len(parts) != 1:
            raise DeliveryError("the card no longer fits one message", permanent=True)
        try:
            await self._bot.edit_message_text(
                parts[0].text,
                chat_id=chat_id,
                message_id=message,
                parse_mode=ParseMode.HTML,
                reply_markup=parts[0].markup,
                link_preview_options=_NO_PREVIEW,
            )
        except TelegramError as error:
            if _not_modified(error):
                return
            raise delivery_error(error) from None

    async def _send(self, chat: ChatRef, reply: Reply) -> None:
        try:
            chat_id = int(chat.chat_id)
        except ValueError:
            raise DeliveryError(f"not a Telegram chat id: {chat.chat_id}", permanent=True) from None
        await send_reply(self._bot, chat_id, reply, open_link=self._open_link)
