"""The Telegram component in the service: it registers its messenger while it
runs, and what the reminder dispatcher sends through the app's registry goes
through the bot's rate limiter."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from adapters.telegram.component import TelegramComponent
from adapters.telegram.config import TelegramConfig
from adapters.telegram.edge import EDGE as TELEGRAM
from adapters.telegram.handlers import Bridge
from adapters.telegram.ratelimit import Limits
from bot.chat import ChatRef
from bot.reply import Reply, Text
from meetbridge.compose import build_app
from tests.support.edges import telegram_config
from tests.support.telegram_api import FakeTelegram, FakeTelegramServer

pytestmark = pytest.mark.timeout(60)

SCALE = 0.25


async def test_the_messenger_is_registered_while_running_and_sends_within_limits(
    tmp_path: Path,
) -> None:
    server = FakeTelegramServer(FakeTelegram(scale=SCALE))
    await asyncio.to_thread(server.start)
    settings = telegram_config(server, tmp_path, telegram_webhook_secret="s3cret")
    try:
        async with build_app(settings) as app:
            config = replace(
                TelegramConfig.from_settings(settings.of(TELEGRAM), None),
                limits=replace(Limits().scaled(SCALE), margin=0.06),
            )
            component = TelegramComponent(config, Bridge(app.service, app.deps.uow), app.messengers)
            assert "telegram" not in app.messengers.platforms
            await component.start()
            await component.wait_connected()
            try:
                chats = [ChatRef("telegram", "123456", str(-500 - n)) for n in range(50)]
                sends = [
                    app.messengers.for_chat(chat).send(chat, Reply((Text(f"Reminder {n}"),)))
                    for n, chat in enumerate(chats * 4)
                ]
                await asyncio.gather(*sends)
            finally:
                await component.stop()
            assert "telegram" not in app.messengers.platforms
    finally:
        await asyncio.to_thread(server.stop)
    assert server.state.refused == []
    assert len(server.state.sent()) == 200
    assert set(Counter(c.chat_id for c in server.state.sent()).values()) == {4}
