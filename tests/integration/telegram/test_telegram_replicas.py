"""Replicas on one bot token share Telegram's limits through PostgreSQL: three
rate limiters, each with its own engine and python-telegram-bot (as three
processes have), send one burst between them over real HTTP to the strict
fake Bot API, which answers 429 to any send over a limit. Not one is refused,
and every message arrives once. A 429 that comes anyway (another client of
the token) is waited out, and its message still arrives once.
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
from bot.reply import Reply, Text
from storage import build_engine, upgrade
from storage.send_windows import SqlSendWindows
from tests.support.telegram_api import Call, FakeTelegram, FakeTelegramServer

pytestmark = [
    pytest.mark.timeout(90),
    pytest.mark.parametrize("database_url", ["postgres"], indirect=True),
]

SCALE = 0.5
# The fake's windows are exact; the limiters keep them this much longer, so
# a loaded test machine's delays between a limiter and the fake (a process
# waiting for a core) stay inside. The benchmark measures the real margin.
LIMITS = replace(Limits().scaled(SCALE), margin=0.25)
GROUPS = [-1_000_000 - n for n in range(12)]


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegramServer]:
    server = FakeTelegramServer(FakeTelegram(scale=SCALE))
    await asyncio.to_thread(server.start)
    yield server
    await asyncio.to_thread(server.stop)


class Replica:
    """One replica's Telegram sending: its engine, shared windows, limiter, bot."""

    def __init__(self, database_url: str, telegram: FakeTelegramServer) -> None:
        self.engine = build_engine(database_url)
        shared = SqlSendWindows(self.engine, f"telegram:{telegram.state.bot_id}")
        self.limiter = TelegramRateLimiter(LIMITS, shared=shared)
        self.bot = ExtBot(
            telegram.state.token,
            base_url=f"{telegram.url}/bot",
            rate_limiter=self.limiter,
            request=HTTPXRequest(connection_pool_size=64),
        )
        self.messenger = TelegramMessenger(self.bot)

    async def send(self, chat: int, text: str) -> None:
        await self.messenger.send(ChatRef("telegram", "123456", str(chat)), Reply((Text(text),)))

    async def close(self) -> None:
        await self.bot.shutdown()
        await self.engine.dispose()


async def replicas(database_url: str, telegram: FakeTelegramServer, n: int) -> list[Replica]:
    await upgrade(database_url)
    started = [Replica(database_url, telegram) for _ in range(n)]
    for replica in started:
        await replica.bot.initialize()
    return started


async def test_three_replicas_send_one_burst_with_no_429_and_each_message_once(
    database_url: str, telegram: FakeTelegramServer
) -> None:
    three = await replicas(database_url, telegram, 3)
    # 60 reminders over 12 groups; each replica takes twenty in a row, so
    # every group hears from two or three replicas.
    try:
        await asyncio.gather(
            *(three[n // 20].send(GROUPS[n % 12], f"reminder {n}") for n in range(60))
        )
    finally:
        for replica in three:
            await replica.close()
    state = telegram.state
    assert state.refused == []  # not one send over a limit
    sent = state.sent()
    assert Counter(call.text for call in sent) == {f"reminder {n}": 1 for n in range(60)}
    assert all(len({n // 20 for n in range(60) if n % 12 == g}) >= 2 for g in range(12))
    assert [r.limiter.stats.retry_after_seen for r in three] == [0, 0, 0]
    assert sum(r.limiter.stats.sends for r in three) == 60
    # Five a group at one per (0.5 + margin) s: four gaps at least.
    arrivals = sorted(call.at for call in sent)
    assert arrivals[-1] - arrivals[0] >= 4 * SCALE


async def test_a_429_from_another_client_of_the_token_is_waited_out_once(
    database_url: str, telegram: FakeTelegramServer
) -> None:
    [replica] = await replicas(database_url, telegram, 1)
    # Something else on the same token has just written to the chat: the
    # shared windows do not know, the fake does, and refuses the bridge's send.
    telegram.state.record(Call("sendMessage", {"chat_id": 42}, {}, time.monotonic()))
    try:
        await replica.send(42, "once")
    finally:
        await replica.close()
    assert len(telegram.state.refused) == 1
    assert replica.limiter.stats.retry_after_seen == 1
    assert [call.text for call in telegram.state.sent(42)] == ["", "once"]
