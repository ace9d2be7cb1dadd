"""With ``PUBLIC_URL``: the bot registers its webhook with Telegram itself, and
the TrueConf app becomes a button through the signed https ``/open`` page."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.support.serve import ServeProcess, wait_until
from tests.support.telegram_api import FakeTelegram, FakeTelegramServer, message_update, person

pytestmark = pytest.mark.timeout(90)

PUBLIC = "https://bridge.example.com"
SECRET = "webhook-secret-for-tests"
GROUP = -77


def test_webhook_registered_and_app_button_opens_through_the_bridge(tmp_path: Path) -> None:
    with FakeTelegramServer(FakeTelegram(scale=0.05)) as telegram:
        env = {
            "TELEGRAM_BOT_TOKEN": telegram.state.token,
            "TELEGRAM_ALLOWED_CHATS": "*",
            "TELEGRAM_WEBHOOK_SECRET": SECRET,
            "TELEGRAM_API_URL": telegram.url,
            "PUBLIC_URL": PUBLIC,
            "LINK_SECRET": "open-link-secret",
        }
        with ServeProcess(env=env, cwd=tmp_path) as served:
            # The bot connects in the background once the service runs.
            wait_until(lambda: telegram.state.called("setWebhook"), timeout=20, what="setWebhook")
            (registered,) = telegram.state.called("setWebhook")
            assert registered.params["url"] == f"{PUBLIC}/telegram/webhook"
            assert registered.params["secret_token"] == SECRET

            update = message_update("/meet now Call", chat_id=GROUP, sender=person(9, "pat"))
            update["update_id"] = telegram.state.next_update_id()
            headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
            url = served.url("/telegram/webhook")
            assert httpx.post(url, json=update, headers=headers, timeout=10).status_code == 200
            wait_until(lambda: telegram.state.sent(GROUP), timeout=20, what="the card")
            (card,) = telegram.state.sent(GROUP)

            urls = {
                b["text"]: b.get("url", "") for row in card.markup["inline_keyboard"] for b in row
            }
            app = urls["Open in TrueConf app"]
            assert app.startswith(f"{PUBLIC}/open?")
            target = parse_qs(urlsplit(app).query)["to"][0]
            assert target.startswith("trueconf:")
            page = httpx.get(served.url(app.removeprefix(PUBLIC)), timeout=5)
            assert page.status_code == 200
            # The page names the meeting and opens the app (link signed over its
            # meeting and expiry: the card's meeting, now plus its hour and margin).
            assert "Open in TrueConf" in page.text
            assert "<h1>Call</h1>" in page.text
            query = parse_qs(urlsplit(app).query)
            assert query["l"] == ["en"]
            assert query["m"][0].isdigit()
            assert "<code>trueconf:" not in card.text  # a link now, not text to copy
