"""A Telegram person's ``/meet link alice``, confirmed by the TrueConf user
alice in TrueConf chat: no admin, the link is made, and the person's next
meeting is made for them. One sandbox for each messenger: the fake Bot API,
the chat-bot sandbox, the TrueConf sandbox inside serve."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.trueconf_chat.sandbox import BOT_LOGIN, ChatSandboxServer, StoredMessage
from tests.support.serve import ServeProcess, wait_until
from tests.support.telegram_api import FakeTelegramServer, message_update, person
from tests.support.trueconf_chat import bot_messages, chat_sandbox, chatbot_env

pytestmark = pytest.mark.timeout(120)

PAT = 4242  # a private chat: the person's own id


@pytest.fixture
def chat() -> Iterator[ChatSandboxServer]:
    yield from chat_sandbox()


def _question(chat: ChatSandboxServer, login: str) -> StoredMessage:
    theirs = chat.state.personal(BOT_LOGIN, login)
    found: list[StoredMessage] = chat.state.wait_for(
        lambda ms: [
            m for m in ms if m.chat_id == theirs and m.author == BOT_LOGIN and "asks" in m.text
        ],
        timeout=30,
    )
    return found[0]


def _pat_told(telegram: FakeTelegramServer, words: str, *, what: str, times: int = 1) -> None:
    """Until pat's chat has ``times`` messages with ``words`` (30 s at most)."""
    wait_until(
        lambda: sum(words in m.text for m in telegram.state.sent(PAT)) >= times,
        timeout=30,
        what=what,
    )


def _no_longer_open(chat: ChatSandboxServer, chat_id: str) -> None:
    """Until ``chat_id`` is told the question pressed is no longer open."""
    chat.state.wait_for(
        lambda ms: [m for m in ms if m.chat_id == chat_id and "no longer open" in m.text],
        timeout=30,
    )


def test_the_trueconf_user_confirms_a_telegram_link_request(
    chat: ChatSandboxServer, tmp_path: Path, database_url: str
) -> None:
    with FakeTelegramServer() as telegram:
        env = {
            "DATABASE_URL": database_url,
            "TELEGRAM_BOT_TOKEN": telegram.state.token,
            "TELEGRAM_API_URL": telegram.url,
            "TELEGRAM_ALLOWED_CHATS": "*",
            **chatbot_env(chat),
            "UNLINKED_MAY_CREATE": "false",
        }
        served = ServeProcess(env=env, cwd=tmp_path, extra_args=("--telegram-polling",))
        with served:
            chat.state.wait_for(lambda _: chat.hub.bot_online, timeout=30)
            pat = person(PAT, "pat")
            telegram.state.queue_update(
                message_update("/meet link alice", chat_id=PAT, sender=pat, message_id=1)
            )
            question = _question(chat, "alice")
            assert "Pat" in question.text or "pat" in question.text
            assert "Telegram" in question.text
            # The name is the requester's to choose; their id is not: shown too.
            assert f"id {PAT}" in question.text
            assert question.labels() == ["Confirm", "Refuse"]
            _pat_told(
                telegram, "also asked in TrueConf chat", what="the requester told alice was asked"
            )
            # Asked again while the question is open: alice gets no second one.
            telegram.state.queue_update(
                message_update("/meet link alice", chat_id=PAT, sender=pat, message_id=3)
            )
            _pat_told(
                telegram, "also asked in TrueConf chat", times=2, what="the second request answered"
            )
            alices = chat.state.personal(BOT_LOGIN, "alice")
            asked = [m for m in bot_messages(chat, alices) if "asks" in m.text]
            assert asked == [question], [m.text for m in asked]
            # The token of alice's question, replayed in bob's personal chat: nothing.
            bobs = chat.state.personal(BOT_LOGIN, "bob")
            decoy = chat.state.post(bobs, BOT_LOGIN, "decoy")
            chat.hub.press(decoy, question.button("Confirm"))
            _no_longer_open(chat, bobs)
            # alice confirms: the link is made, and pat is told.
            chat.press("alice", question, "Confirm")
            _pat_told(
                telegram, "confirmed in TrueConf chat", what="the requester told the link is made"
            )
            # Linked (only linked people create meetings here): pat's meeting is made.
            telegram.state.queue_update(
                message_update("/meet now Pat sync", chat_id=PAT, sender=pat, message_id=2)
            )
            _pat_told(telegram, "Pat sync", what="the card")
            # A second press of the spent question does nothing more.
            chat.press("alice", question, "Refuse")
            _no_longer_open(chat, question.chat_id)
        assert served.stop() == 0
        assert "Traceback" not in served.log
