"""``meetbridge serve --telegram-polling``: updates fetched with getUpdates from
the fake Bot API instead of posted to the webhook."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.support.serve import ServeProcess, wait_until
from tests.support.telegram_api import FakeTelegramServer, message_update, person

pytestmark = pytest.mark.timeout(90)

CHAT = 4242  # a private chat: the person's own id


def test_polling_serves_commands_and_needs_no_webhook(tmp_path: Path) -> None:
    with FakeTelegramServer() as telegram:
        env = {
            "TELEGRAM_BOT_TOKEN": telegram.state.token,
            "TELEGRAM_API_URL": telegram.url,
            "TELEGRAM_ALLOWED_CHATS": "*",
        }
        served = ServeProcess(env=env, cwd=tmp_path, extra_args=("--telegram-polling",))
        with served:
            sender = person(CHAT, "pat", lang="ru")
            telegram.state.queue_update(
                message_update("/meet now Созвон", chat_id=CHAT, sender=sender)
            )
            wait_until(lambda: telegram.state.sent(CHAT), timeout=20, what="the card")
            (card,) = telegram.state.sent(CHAT)
            assert "Созвон" in card.text
            assert "уже идёт" in card.text  # Russian from the person's language_code
            # No webhook in polling mode.
            answer = httpx.post(served.url("/telegram/webhook"), json={}, timeout=5)
            assert answer.status_code == 404
        assert served.stop() == 0
        assert telegram.state.called("getUpdates")
        assert "Traceback" not in served.log


def test_the_webhook_needs_its_secret_to_start(tmp_path: Path) -> None:
    with FakeTelegramServer() as telegram:
        env = {
            "TELEGRAM_BOT_TOKEN": telegram.state.token,
            "TELEGRAM_API_URL": telegram.url,
            "TELEGRAM_ALLOWED_CHATS": "*",
        }
        served = ServeProcess(env=env, cwd=tmp_path, ready_timeout=60)
        with pytest.raises(RuntimeError, match="exited early"):
            served.start()
        assert "TELEGRAM_WEBHOOK_SECRET is required" in served.log
        assert telegram.state.token not in served.log
