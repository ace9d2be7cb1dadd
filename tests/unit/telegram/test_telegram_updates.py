"""Telegram messages as the core's CommandInput."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from telegram import Chat, Message, MessageEntity, User

from adapters.telegram.updates import command_input, user_lang
from bot.chat import Identity, Mention, Standing

pytestmark = pytest.mark.timeout(30)

DAVE = User(777, "Dave <x|y>", False, last_name="Smith")


PAT = User(5, "Pat", False, username="pat", language_code="ru-RU")
CHANNEL_BOT = User(136817688, "Channel", True, username="Channel_Bot")
ANONYMOUS_ADMIN = User(1087968824, "Group", True, username="GroupAnonymousBot")


def message(
    text: str,
    *entities: MessageEntity,
    chat_type: str = Chat.SUPERGROUP,
    sender: User = PAT,
    sender_chat: Chat | None = None,
) -> Message:
    command = MessageEntity(MessageEntity.BOT_COMMAND, 0, len(text.split(maxsplit=1)[0]))
    return Message(
        1,
        datetime(2026, 11, 23, tzinfo=UTC),
        Chat(-100 if chat_type != Chat.PRIVATE else 5, chat_type),
        from_user=sender,
        sender_chat=sender_chat,
        text=text,
        entities=(command, *entities),
    )


def test_the_command_and_the_bot_name_are_cut_off() -> None:
    got = command_input(
        message("/meet@MeetBridgeBot now Sync"), bot_id=9, standing=Standing.CHAT_ADMIN
    )
    assert got is not None
    assert got.text == "now Sync"
    assert got.chat.key == "telegram:9:-100"
    assert got.user.user_id == "5"
    assert got.user.handle == "pat"
    assert got.user_lang == "ru"
    assert got.standing is Standing.CHAT_ADMIN
    assert got.identity is Identity.PERSON
    assert not got.is_private_chat


def test_a_name_only_mention_becomes_a_resolved_mention_after_emoji() -> None:
    text = "/meet invite 12 🎉 Dave <x|y> Smith"
    start = len("/meet invite 12 🎉 ".encode("utf-16-le")) // 2  # UTF-16 offsets
    length = len("Dave <x|y> Smith")
    entity = MessageEntity(MessageEntity.TEXT_MENTION, start, length, user=DAVE)
    got = command_input(message(text, entity), bot_id=9)
    assert got is not None
    assert got.text == "invite 12 🎉 <@777|Dave x y Smith>"
    assert got.mentions == (Mention("Dave x y Smith", user_id="777"),)


def test_a_private_chat_is_marked() -> None:
    got = command_input(message("/meet list", chat_type=Chat.PRIVATE), bot_id=9)
    assert got is not None
    assert got.is_private_chat


def test_a_post_on_behalf_of_a_channel_is_that_channel_and_never_an_admin() -> None:
    news = Chat(-1004101, Chat.CHANNEL, title="News A")
    got = command_input(
        message("/meet list", sender=CHANNEL_BOT, sender_chat=news),
        bot_id=9,
        standing=Standing.CHAT_ADMIN,
    )
    assert got is not None
    assert got.user.key == "telegram:9:-1004101"
    assert got.user.display_name == "News A"
    assert got.user.handle == ""  # a typed @name never finds its links
    assert got.identity is Identity.CHAT
    assert got.standing is Standing.MEMBER


def test_an_anonymous_admin_is_the_group_and_no_admin() -> None:
    group = Chat(-100, Chat.SUPERGROUP, title="Team")
    got = command_input(
        message("/meet list", sender=ANONYMOUS_ADMIN, sender_chat=group),
        bot_id=9,
        standing=Standing.CHAT_ADMIN,
    )
    assert got is not None
    assert got.user.key == "telegram:9:-100"
    assert got.identity is Identity.CHAT
    assert got.standing is Standing.MEMBER


def test_a_stand_in_without_its_chat_cannot_be_told_apart() -> None:
    got = command_input(message("/meet list", sender=CHANNEL_BOT), bot_id=9)
    assert got is not None
    assert got.identity is Identity.UNKNOWN


@pytest.mark.parametrize(
    ("code", "lang"), [("ru", "ru"), ("ru-RU", "ru"), ("en-GB", "en"), ("de", None), (None, None)]
)
def test_language_code(code: str | None, lang: str | None) -> None:
    assert user_lang(User(1, "x", False, language_code=code)) == lang
