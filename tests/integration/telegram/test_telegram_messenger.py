"""The Telegram messenger's refusals in the core's terms: give up, or retry later."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest
from telegram.ext import ExtBot

from adapters.telegram.messenger import TelegramMessenger
from adapters.telegram.ratelimit import Limits, TelegramRateLimiter
from bot.chat import ChatRef
from bot.errors import DeliveryError
from bot.reply import Reply, Text
from tests.support.telegram_api import FakeTelegramServer

pytestmark = pytest.mark.timeout(60)

REMINDER = Reply((Text("Standup in 10 minutes"),))


Bots = list[ExtBot[None]]


@pytest.fixture
async def server() -> AsyncIterator[tuple[FakeTelegramServer, Bots]]:
    server = FakeTelegramServer()
    await asyncio.to_thread(server.start)
    bots: Bots = []
    yield server, bots
    for bot in bots:
        await bot.shutdown()
    await asyncio.to_thread(server.stop)


async def messenger(
    running: tuple[FakeTelegramServer, Bots], limits: Limits | None = None
) -> TelegramMessenger:
    server, bots = running
    bot = ExtBot(
        server.state.token, base_url=f"{server.url}/bot", rate_limiter=TelegramRateLimiter(limits)
    )
    await bot.initialize()
    bots.append(bot)
    return TelegramMessenger(bot)


async def test_a_chat_that_blocked_the_bot_is_a_permanent_failure(
    server: tuple[FakeTelegramServer, Bots],
) -> None:
    server[0].state.strangers.add(42)
    with pytest.raises(DeliveryError) as caught:
        await (await messenger(server)).send(ChatRef("telegram", "1", "42"), REMINDER)
    assert caught.value.permanent


async def test_a_chat_id_that_is_no_number_is_a_permanent_failure(
    server: tuple[FakeTelegramServer, Bots],
) -> None:
    with pytest.raises(DeliveryError) as caught:
        await (await messenger(server)).send(ChatRef("telegram", "1", "general"), REMINDER)
    assert caught.value.permanent
    assert server[0].state.sent() == []


async def test_flood_control_that_outlasts_the_retries_says_when_to_come_back(
    server: tuple[FakeTelegramServer, Bots],
) -> None:
    # A limiter that ignores the per-chat limit and never retries: the fake's
    # 429 reaches the messenger, which passes Telegram's wait on.
    lax = Limits(margin=0.0, max_retries=0)
    lax = replace(lax, per_chat=replace(lax.per_chat, count=10))
    sender = await messenger(server, lax)
    chat = ChatRef("telegram", "1", "42")
    await sender.send(chat, REMINDER)
    with pytest.raises(DeliveryError) as caught:
        await sender.send(chat, REMINDER)
    assert not caught.value.permanent
    assert caught.value.retry_after == 1.0
