"""Sending a ``Reply`` into a TrueConf chat through the library's ``Bot``:
HTML messages with buttons on the last one, files as documents; and the
``Messenger`` the reminders post through."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace

from trueconf import Bot
from trueconf.enums.parse_mode import ParseMode
from trueconf.exceptions import ApiErrorException, WSConnectionError
from trueconf.types.input_file import BufferedInputFile
from trueconf.types.keyboard import InlineKeyboardButton, InlineKeyboardMarkup

from adapters.trueconf_chat.inbound import PLATFORM
from adapters.trueconf_chat.render import Button, files, render, withheld
from adapters.trueconf_chat.texts import translator
from bot.chat import ChatRef, Lang, Platform, UserRef
from bot.errors import DeliveryError
from bot.reply import Actions, Capabilities, Reply, Text, Tone

log = logging.getLogger(__name__)

# The API's refusals that no retry changes: no such chat, not a member,
# access denied, not enough rights.
PERMANENT = frozenset({302, 303, 304, 305})

CAPABILITIES = Capabilities(
    custom_scheme_links=True,  # url buttons and links open trueconf: themselves
    ephemeral=False,
    buttons=True,
    modals=False,
    file_upload=True,
    edits=True,  # editMessage: the live card
)


def _button(raw: Button) -> InlineKeyboardButton:
    if raw["type"] == "url":
        return InlineKeyboardButton(text=raw["label"], url=raw["url"])
    return InlineKeyboardButton(text=raw["label"], command=raw["command"])


def markup(rows: tuple[tuple[Button, ...], ...]) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    return InlineKeyboardMarkup(buttons=[[_button(b) for b in row] for row in rows])


async def post(
    bot: Bot,
    chat_id: str,
    reply: Reply,
    *,
    personal: bool,
    reply_to: str | None = None,
    buttons: tuple[tuple[Button, ...], ...] = (),
    lang: Lang = "en",
) -> list[str]:
    """Post ``reply`` (not its private notes) into ``chat_id``; the ids of
    its text messages. ``buttons``: the adapter's own, on the last message."""
    sent: list[str] = []
    messages = render(with_hint(reply, personal=personal, lang=lang), personal=personal)
    if buttons and messages:
        messages[-1] = replace(messages[-1], buttons=buttons)
    for index, message in enumerate(messages):
        response = await bot.send_message(
            chat_id,
            message.text,
            ParseMode.HTML,
            reply_to if index == 0 else None,
            buttons=markup(message.buttons),
        )
        sent.append(response.message_id)
    for file in files(reply):
        document = BufferedInputFile(file.content, file_name=file.name, mime_type=file.media_type)
        await bot.send_document(chat_id, document)
    return sent


def with_hint(reply: Reply, *, personal: bool, lang: Lang) -> Reply:
    """A group's card says where its buttons for one person are."""
    if not withheld(reply, personal=personal):
        return reply
    meeting = next(
        (a.meeting_id for b in reply.blocks if isinstance(b, Actions) for a in b.items), 0
    )
    hint = translator(lang)("trueconf_chat.more_in_private", id=meeting)
    return replace(reply, blocks=(*reply.blocks, Text(hint, Tone.MUTED)))


async def edit_card(
    bot: Bot, message_id: str, reply: Reply, *, personal: bool, lang: Lang = "en"
) -> None:
    """Put ``reply`` in place of the bot's message ``message_id`` (its text
    and buttons: an edit replaces the whole content)."""
    parts = render(with_hint(reply, personal=personal, lang=lang), personal=personal)
    if len(parts) != 1:
        raise DeliveryError("the card no longer fits one message", permanent=True)
    await bot.edit_message(
        message_id, parts[0].text, ParseMode.HTML, buttons=markup(parts[0].buttons)
    )


def delivery_error(error: Exception) -> DeliveryError:
    if isinstance(error, ApiErrorException) and error.code in PERMANENT:
        return DeliveryError(f"TrueConf refused the message: {error}", permanent=True)
    if isinstance(error, ApiErrorException | ValueError):
        return DeliveryError(f"TrueConf refused the message: {error}")
    return DeliveryError("the TrueConf chat server could not be reached")


# Raised by the library while the connection is down or slow.
UNREACHABLE: tuple[type[Exception], ...] = (WSConnectionError, TimeoutError, RuntimeError, OSError)
NOT_SENT: tuple[type[Exception], ...] = (ApiErrorException, ValueError, *UNREACHABLE)


# Asks a TrueConf user to confirm a link request (``confirm``); the login asked.
AskToConfirm = Callable[[UserRef, str], Awaitable[None]]
# The language of a chat, by its id: what the adapter's own lines speak there.
LangOf = Callable[[str], Awaitable[Lang]]


async def english(chat_id: str) -> Lang:  # noqa: ARG001 (the same for every chat)
    return "en"


def _always() -> bool:
    return True


class TrueConfChatMessenger:
    """Posts on the bridge's own initiative (reminders, the live card)
    through this process's connection. ``is_personal`` tells a personal chat
    from a group (learned from the chats' messages); ``holds``: whether this
    process still holds the bot's connection (its lease has not run out
    unrenewed): once it does not, nothing more is sent through it."""

    platform: Platform = PLATFORM
    capabilities = CAPABILITIES

    def __init__(
        self,
        bot: Bot,
        is_personal: Callable[[str], bool],
        ask_to_confirm: AskToConfirm | None = None,
        lang_of: LangOf = english,
        holds: Callable[[], bool] = _always,
    ) -> None:
        self._bot = bot
        self._is_personal = is_personal
        self.ask_to_confirm = ask_to_confirm
        self._lang_of = lang_of
        self._holds = holds

    @property
    def deliverable(self) -> bool:
        return self._holds()

    async def send(self, chat: ChatRef, reply: Reply) -> None:
        async def deliver(personal: bool, lang: Lang) -> None:
            await post(self._bot, chat.chat_id, reply, personal=personal, lang=lang)

        await self._deliver(chat, deliver)

    async def edit(self, chat: ChatRef, message_id: str, reply: Reply) -> None:
        """A card the bot posted, changed in place (the live card)."""

        async def deliver(personal: bool, lang: Lang) -> None:
            await edit_card(self._bot, message_id, reply, personal=personal, lang=lang)

        await self._deliver(chat, deliver)

    async def _deliver(
        self, chat: ChatRef, deliver: Callable[[bool, Lang], Awaitable[None]]
    ) -> None:
        if not self._holds():  # the lease ran out unrenewed: another may hold it now
            raise DeliveryError("TrueConf chat: another process may hold the bot's connection now")
        try:
            await deliver(self._is_personal(chat.chat_id), await self._lang_of(chat.chat_id))
        except NOT_SENT as error:
            raise delivery_error(error) from None


class NotConnected:
    """The messenger while this process has no connection of the bot's:
    while it (re)connects, and while another process holds the connection
    (a standby). It is not ``deliverable``: the ledger rows for TrueConf
    chats wait for the process that holds the connection, and a row it had
    claimed before is refused here and tried again there."""

    platform: Platform = PLATFORM
    capabilities = CAPABILITIES
    deliverable = False

    def __init__(self, problem: Callable[[], str | None]) -> None:
        self._problem = problem

    async def send(self, chat: ChatRef, reply: Reply) -> None:  # noqa: ARG002 (refuses all)
        raise DeliveryError(f"TrueConf chat is not connected ({self._problem() or 'connecting'})")

    async def edit(self, chat: ChatRef, message_id: str, reply: Reply) -> None:  # noqa: ARG002
        await self.send(chat, reply)  # not here: the card is edited by the holder
