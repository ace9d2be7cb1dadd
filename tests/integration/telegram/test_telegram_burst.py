"""A reminder burst through the Telegram messenger and its rate limiter, over
real HTTP against the fake Bot API, which enforces Telegram's flood limits and
answers 429 with ``retry_after`` to any send over them.

Limits and the fake's windows are scaled alike (``SCALE``), so the burst takes
under two seconds instead of seven while the limits are still what binds.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest
from telegram.ext import ExtBot
from telegram.request import HTTPXRequest

from adapters.telegram.messenger import TelegramMessenger
from adapters.telegram.ratelimit import Limits, TelegramRateLimiter
from bot.chat import ChatRef
from bot.reply import Reply, Text, Title
from tests.support.telegram_api import FakeTelegram, FakeTelegramServer

pytestmark = pytest.mark.timeout(60)

SCALE = 0.25
GROUPS = [-1_000_000 - n for n in range(50)]


def make_bot(telegram: FakeTelegramServer, limiter: TelegramRateLimiter) -> ExtBot[None]:
    # A connection per send in flight, as the application has: one shared
    # connection would queue sends and bunch them up after the limiter.
    return ExtBot(
        telegram.state.token,
        base_url=f"{telegram.url}/bot",
        rate_limiter=limiter,
        request=HTTPXRequest(connection_pool_size=256),
    )


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegramServer]:
    server = FakeTelegramServer(FakeTelegram(scale=SCALE))
    await asyncio.to_thread(server.start)
    yield server
    await asyncio.to_thread(server.stop)


async def test_200_reminders_across_50_groups_all_arrive_within_the_limits(
    telegram: FakeTelegramServer,
) -> None:
    # A quarter of the shortest window absorbs loopback jitter between the
    # limiter's decision and the fake's clock.
    limiter = TelegramRateLimiter(replace(Limits().scaled(SCALE), margin=0.06))
    bot = make_bot(telegram, limiter)
    await bot.initialize()
    messenger = TelegramMessenger(bot)
    reminders = [
        (
            ChatRef("telegram", "123456", str(chat)),
            Reply((Title(f"Standup {n}"), Text("in 10 min"))),
        )
        for n, chat in enumerate(GROUPS * 4)
    ]
    started = time.monotonic()
    try:
        await asyncio.gather(*(messenger.send(chat, reply) for chat, reply in reminders))
    finally:
        await bot.shutdown()
    elapsed = time.monotonic() - started

    state = telegram.state
    assert state.refused == []  # not one send over a limit: no 429 at all
    sent = state.sent()
    assert len(sent) == 200
    assert Counter(call.chat_id for call in sent) == dict.fromkeys(GROUPS, 4)
    assert sorted(call.text.split("\n")[0] for call in sent) == sorted(
        f"<b>Standup {n}</b>" for n in range(200)
    )
    # 30 a window overall: 200 sends need at least six full windows after the first.
    assert elapsed >= 6 * 1.0 * SCALE
    assert limiter.stats.sends == 200
    assert limiter.stats.retry_after_seen == 0


async def test_a_429_is_waited_out_and_the_message_still_arrives(
    telegram: FakeTelegramServer,
) -> None:
    # This limiter allows twice what the fake takes per chat: the fake refuses,
    # and the limiter must wait the retry_after it was given and send again.
    lax = Limits().scaled(SCALE)
    lax = replace(lax, per_chat=replace(lax.per_chat, count=2), margin=0.0)
    limiter = TelegramRateLimiter(lax)
    bot = make_bot(telegram, limiter)
    await bot.initialize()
    chat = ChatRef("telegram", "123456", "42")
    try:
        await asyncio.gather(
            *(TelegramMessenger(bot).send(chat, Reply((Text(f"m{n}"),))) for n in range(3))
        )
    finally:
        await bot.shutdown()
    assert len(telegram.state.refused) >= 1
    assert limiter.stats.retry_after_seen == len(telegram.state.refused)
    assert sorted(c.text for c in telegram.state.sent(42)) == ["m0", "m1", "m2"]
