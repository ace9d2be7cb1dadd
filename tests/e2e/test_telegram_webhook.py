"""``meetbridge serve`` driven as Telegram drives it: updates posted to the
webhook, replies read from a fake Bot API, conferences on the TrueConf sandbox."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.support.serve import ServeProcess, wait_until
from tests.support.telegram_api import (
    Call,
    FakeTelegram,
    FakeTelegramServer,
    message_update,
    person,
)

pytestmark = pytest.mark.timeout(90)

SECRET = "webhook-secret-for-tests"
GROUP = -100123
ALICE = person(501, "alice", lang="en")
IVAN = person(502, "ivan", lang="ru")


@pytest.fixture(scope="module")
def telegram() -> Iterator[FakeTelegramServer]:
    with FakeTelegramServer(FakeTelegram(scale=0.05)) as server:
        yield server


@pytest.fixture(scope="module")
def served(
    telegram: FakeTelegramServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServeProcess]:
    env = {
        "TELEGRAM_BOT_TOKEN": telegram.state.token,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "TELEGRAM_API_URL": telegram.url,
        "LOG_LEVEL": "DEBUG",
    }
    with ServeProcess(env=env, cwd=tmp_path_factory.mktemp("tg")) as process:
        yield process


def post(served: ServeProcess, update: dict[str, Any], *, secret: str | None = SECRET) -> int:
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    answer = httpx.post(served.url("/telegram/webhook"), json=update, headers=headers, timeout=10)
    return answer.status_code


def replies(telegram: FakeTelegramServer, chat_id: int, count: int) -> list[Call]:
    wait_until(
        lambda: len(telegram.state.sent(chat_id)) >= count,
        timeout=20,
        what=f"{count} messages in chat {chat_id}",
    )
    return telegram.state.sent(chat_id)


def test_meet_in_a_group_answers_with_an_html_card_and_buttons(
    telegram: FakeTelegramServer, served: ServeProcess
) -> None:
    text = "/meet@MeetBridgeBot tomorrow 15:00 for 1h <b>Review</b> & plan @bob"
    body = message_update(text, chat_id=GROUP, sender=ALICE)
    body["update_id"] = telegram.state.next_update_id()
    assert post(served, body) == 200

    (card,) = replies(telegram, GROUP, 1)
    assert card.params["parse_mode"] == "HTML"
    assert "<b>&lt;b&gt;Review&lt;/b&gt; &amp; plan</b>" in card.text
    keyboard = card.markup["inline_keyboard"]
    buttons = [b for row in keyboard for b in row]
    assert any(b.get("url", "").startswith("http") for b in buttons)
    data = [b["callback_data"] for b in buttons if "callback_data" in b]
    assert data
    assert all(len(d.encode()) <= 64 for d in data)
