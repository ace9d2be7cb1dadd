"""Telegram messages as the core's CommandInput."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from telegram import Chat, Message, MessageEntity, User

from adapters.telegram.updates import command_input, user_lang
from bot.chat import Mention

pytestmark = pytest.mark.timeout(30)

DAVE = User(777, "Dave <x|y>", False, last_name="Smith")


def message(text: str, *entities: MessageEntity, chat_type: str = Chat.SUPERGROUP) -> Message:
    command = MessageEntity(MessageEntity.BOT_COMMAND, 0, len(text.split()[0]))
    return Message(
        1,
        datetime(2026, 11, 23, tzinfo=UTC),
        Chat(-100 if chat_type != Chat.PRIVATE else 5, chat_type),
        from_user=User(5, "Pat", False, username="pat", language_code="ru-RU"),
        text=text,
        entities=(command, *entities),
    )


def test_the_command_and_the_bot_name_are_cut_off() -> None:
    got = command_input(message("/meet@MeetBridgeBot now Sync"), bot_id=9, is_admin=True)
    assert got is not None
    assert got.text == "now Sync"
    assert got.chat.key == "telegram:9:-100"
    assert got.user.user_id == "5"
    assert got.user.handle == "pat"
    assert got.user_lang == "ru"
    assert got.is_admin
    assert not got.is_private_chat


def test_a_name_only_mention_becomes_a_resolved_mention_after_emoji() -> None:
    text = "/meet invite 12 🎉 Dave <x|y> Smith"
    start = len("/meet invite 12 🎉 ".encode("utf-16-le")) // 2  # UTF-16 offsets
    length = len("Dave <x|y> Smith")
    entity = MessageEntity(MessageEntity.TEXT_MENTION, start, length, user=DAVE)
    got = command_input(message(text, entity), bot_id=9, is_admin=False)
    assert got is not None
    assert got.text == "invite 12 🎉 <@777|Dave x y Smith>"
    assert got.mentions == (Mention("Dave x y Smith", user_id="777"),)


def test_a_private_chat_is_marked() -> None:
    got = command_input(message("/meet list", chat_type=Chat.PRIVATE), bot_id=9, is_admin=False)
    assert got is not None
    assert got.is_private_chat


@pytest.mark.parametrize(
    ("code", "lang"), [("ru", "ru"), ("ru-RU", "ru"), ("en-GB", "en"), ("de", None), (None, None)]
)
def test_language_code(code: str | None, lang: str | None) -> None:
    assert user_lang(User(1, "x", False, language_code=code)) == lang
