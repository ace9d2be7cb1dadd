"""The one answer to a chat not on TELEGRAM_ALLOWED_CHATS is given once across
processes: a restarted bridge (or another replica on the same database) stays
silent there."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.serve import ServeProcess, wait_until
from tests.support.telegram_api import FakeTelegram, FakeTelegramServer, person
from tests.support.telegram_chat import SECRET, Chat

pytestmark = pytest.mark.timeout(180)

STRANGER = person(920, "stranger")


def test_a_restarted_bridge_does_not_answer_an_unlisted_chat_again(tmp_path: Path) -> None:
    with FakeTelegramServer(FakeTelegram(scale=0.05)) as telegram:
        env = {
            "TELEGRAM_BOT_TOKEN": telegram.state.token,
            "TELEGRAM_WEBHOOK_SECRET": SECRET,
            "TELEGRAM_API_URL": telegram.url,
            "TELEGRAM_ALLOWED_CHATS": "-1001",
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'shared.db'}",
        }
        with ServeProcess(env=env, cwd=tmp_path) as first:
            private = Chat(telegram, first, STRANGER["id"])
            answer = private.say("/meet now Call", STRANGER)
            assert "920" in answer.text

        with ServeProcess(env=env, cwd=tmp_path) as second:
            private.served = second
            private.send("/meet now Call", STRANGER)
            wait_until(
                lambda: "ignored an update from chat 920" in second.log,
                timeout=20,
                what="the update to be ignored",
            )
            assert private.unseen() == []
        assert "Traceback" not in second.log
