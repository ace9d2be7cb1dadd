"""Which messages from a chat not on TELEGRAM_ALLOWED_CHATS get their one answer,
and which one passes: the ``/start <token>`` hand-over in a private chat."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from telegram import Chat, Message, User

from adapters.telegram.allowlist import is_command_for, is_hand_over

pytestmark = pytest.mark.timeout(30)

TOKEN = "a" * 43


def message(text: str, chat_type: str = Chat.PRIVATE) -> Message:
    chat = Chat(5 if chat_type == Chat.PRIVATE else -100, chat_type)
    return Message(
        1, datetime(2026, 12, 6, tzinfo=UTC), chat, from_user=User(5, "Pat", False), text=text
    )


@pytest.mark.parametrize(
    ("text", "ours"),
    [
        ("/meet now Call", True),
        ("/meet@MeetBridgeBot now", True),
        ("/meet@meetbridgebot", True),
        ("/help", True),
        ("/meet@OtherBot now", False),
        ("hello", False),
        ("", False),
    ],
)
def test_a_command_for_this_bot(text: str, ours: bool) -> None:
    assert is_command_for(message(text, Chat.SUPERGROUP), "MeetBridgeBot") is ours


@pytest.mark.parametrize(
    ("text", "chat_type", "passes"),
    [
        (f"/start {TOKEN}", Chat.PRIVATE, True),
        (f"/start@MeetBridgeBot {TOKEN}", Chat.PRIVATE, True),
        (f"/start {TOKEN}", Chat.SUPERGROUP, False),  # never in a group
        ("/start", Chat.PRIVATE, False),
        ("/start short", Chat.PRIVATE, False),
        (f"/start {TOKEN} /meet now", Chat.PRIVATE, False),
        (f"/meet {TOKEN}", Chat.PRIVATE, False),
    ],
)
def test_only_the_hand_over_passes_from_a_chat_not_listed(
    text: str, chat_type: str, passes: bool
) -> None:
    assert is_hand_over(message(text, chat_type)) is passes
