"""Telegram messages and people as the core's neutral ``CommandInput``.

No PTB object travels further than this module: the core gets the text after
``/meet``, references to the chat and the person, and the mentions Telegram
already resolved.
"""

from __future__ import annotations

import re

from telegram import Chat, Message, MessageEntity, User

from bot.chat import ChatRef, Identity, Lang, Mention, Standing, UserRef
from bot.commands import CommandInput

_PREFIX = re.compile(r"^\s*/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?(\s+|$)")
_NAME_UNSAFE = re.compile(r"[<>|\s]+")
MAX_NAME = 64
# Telegram's stand-ins in ``from`` for messages sent on behalf of a chat
# (Channel_Bot, GroupAnonymousBot, and "Telegram" for forwarded channel
# posts): one account shared by everyone who posts that way.
STAND_INS = frozenset({136817688, 1087968824, 777000})


def chat_ref(chat: Chat, bot_id: int) -> ChatRef:
    return chat_ref_by_id(chat.id, bot_id)


def chat_ref_by_id(chat_id: int, bot_id: int) -> ChatRef:
    # One bot's chats: another bot on the same database keeps its own meetings.
    return ChatRef("telegram", str(bot_id), str(chat_id))


def user_ref(user: User, bot_id: int) -> UserRef:
    return UserRef(
        "telegram",
        str(bot_id),
        str(user.id),
        display_name=user.username or user.full_name,
        handle=user.username or "",
    )


def user_lang(user: User | None) -> Lang | None:
    """Telegram's ``language_code`` (``ru``, ``ru-RU``, ``en-GB``) as a language
    the bridge speaks; ``None`` for the rest, so the configured default applies."""
    code = (user.language_code or "").lower() if user else ""
    if code.startswith("ru"):
        return "ru"
    if code.startswith("en"):
        return "en"
    return None


def _utf16(text: str) -> bytes:
    # "surrogatepass": a lone surrogate (a forged or cut message) keeps its
    # place instead of failing here; the core answers what it cannot read.
    return text.encode("utf-16-le", "surrogatepass")


def _from_utf16(encoded: bytes) -> str:
    # An entity offset may fall inside a surrogate pair: the halves stay lone.
    return encoded.decode("utf-16-le", "surrogatepass")


def _mention_name(user: User) -> str:
    """The person's name kept to one line without the grammar's ``<>|``."""
    return _NAME_UNSAFE.sub(" ", user.full_name).strip()[:MAX_NAME] or str(user.id)


def _name_only_mention(user: User) -> str:
    """A person without a username, written the way the grammar reads a
    resolved mention: ``<@id|Name>``."""
    return f"<@{user.id}|{_mention_name(user)}>"


def text_with_mentions(message: Message) -> str:
    """The message text with each name-only mention (``text_mention``: a person
    without a username, picked from the list) replaced by a resolved mention.
    Entity offsets count UTF-16 code units."""
    text = message.text or ""
    encoded = _utf16(text)
    out: list[str] = []
    position = 0
    entities = sorted(message.entities, key=lambda e: e.offset)
    for entity in entities:
        if entity.type != MessageEntity.TEXT_MENTION or entity.user is None:
            continue
        start, end = entity.offset * 2, (entity.offset + entity.length) * 2
        if start < position:
            continue
        out.append(_from_utf16(encoded[position:start]))
        out.append(_name_only_mention(entity.user))
        position = end
    out.append(_from_utf16(encoded[position:]))
    return "".join(out)


def resolved_mentions(message: Message) -> tuple[Mention, ...]:
    return tuple(
        Mention(handle=_mention_name(e.user), user_id=str(e.user.id))
        for e in message.entities
        if e.type == MessageEntity.TEXT_MENTION and e.user is not None
    )


def command_text(message: Message) -> str:
    """The text after ``/meet`` or ``/meet@BotName``."""
    text = text_with_mentions(message)
    match = _PREFIX.match(text)
    return text[match.end() :] if match else text


def speaker(message: Message, bot_id: int) -> tuple[UserRef, Identity] | None:
    """Who sent ``message``: the chat it was sent on behalf of (``sender_chat``:
    a channel, or the group itself for an anonymous admin), else the person.
    A stand-in account without ``sender_chat`` cannot be told apart from
    others; ``None`` when there is nobody at all."""
    on_behalf = message.sender_chat
    if on_behalf is not None:
        name = on_behalf.title or on_behalf.username or str(on_behalf.id)
        # Chat ids are negative, people's positive: the two never meet.
        return UserRef("telegram", str(bot_id), str(on_behalf.id), name), Identity.CHAT
    user = message.from_user
    if user is None:
        return None
    identity = Identity.UNKNOWN if user.id in STAND_INS else Identity.PERSON
    return user_ref(user, bot_id), identity


def command_input(
    message: Message, *, bot_id: int, standing: Standing = Standing.MEMBER
) -> CommandInput | None:
    found = speaker(message, bot_id)
    if found is None:  # nobody to answer or to own a meeting
        return None
    user, identity = found
    return CommandInput(
        text=command_text(message),
        chat=chat_ref(message.chat, bot_id),
        user=user,
        mentions=resolved_mentions(message),
        user_lang=user_lang(message.from_user) if identity is Identity.PERSON else None,
        is_private_chat=message.chat.type == Chat.PRIVATE,
        standing=standing if identity is Identity.PERSON else Standing.MEMBER,
        identity=identity,
    )
