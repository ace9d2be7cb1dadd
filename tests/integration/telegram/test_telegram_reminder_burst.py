"""200 reminders due in the same minute across 50 Telegram groups, claimed by
the reminder dispatcher from a real database and posted through the Telegram
messenger and its rate limiter to the fake Bot API, which enforces Telegram's
flood limits (windows scaled by ``SCALE``, limiter and fake alike)."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.ext import ExtBot
from telegram.request import HTTPXRequest

from adapters.reminders import Dispatcher, DispatcherConfig
from adapters.telegram.messenger import TelegramMessenger
from adapters.telegram.ratelimit import Limits, TelegramRateLimiter
from bot.chat import ChatRef
from bot.clock import SystemClock
from bot.messengers import Messengers
from bot.reminders.delivery import ActionPerformer, DeliveryPolicy
from storage.claims import SqlClaimStore
from storage.models import MeetingRow
from storage.uow import SqlUnitOfWorkFactory
from tests.support.reminders import core_deps, seed, statuses, utcnow
from tests.support.telegram_api import FakeTelegram, FakeTelegramServer
from tests.support.waiting import until

pytestmark = pytest.mark.timeout(90)

SCALE = 0.25
BOT_ID = "123456"
GROUPS = [ChatRef("telegram", BOT_ID, str(-3_000_000 - n)) for n in range(50)]


async def seed_groups(sessions: async_sessionmaker[AsyncSession]) -> list[str]:
    """200 meetings, four per group, each with a reminder due within a second."""
    now = utcnow()
    fire = [now + timedelta(milliseconds=200 + 3 * n) for n in range(200)]
    topics = await seed(sessions, fire, now=now)
    async with sessions() as session:
        for n, chat in enumerate(GROUPS):
            await session.execute(
                update(MeetingRow)
                .where(MeetingRow.topic.in_(topics[n :: len(GROUPS)]))
                .values(
                    chat_key=chat.key,
                    platform=chat.platform,
                    workspace_id=chat.workspace_id,
                    chat_id=chat.chat_id,
                )
            )
        await session.commit()
    return topics


async def test_a_reminder_burst_through_the_dispatcher_stays_within_telegrams_limits(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    server = FakeTelegramServer(FakeTelegram(scale=SCALE))
    await asyncio.to_thread(server.start)
    limiter = TelegramRateLimiter(replace(Limits().scaled(SCALE), margin=0.06))
    bot = ExtBot(
        server.state.token,
        base_url=f"{server.url}/bot",
        rate_limiter=limiter,
        request=HTTPXRequest(connection_pool_size=256),
    )
    await bot.initialize()
    messengers = Messengers()
    messengers.register(TelegramMessenger(bot))
    clock = SystemClock()
    deps = core_deps(SqlUnitOfWorkFactory(session_factory, clock=clock), clock)
    dispatcher = Dispatcher(
        SqlClaimStore(session_factory),
        ActionPerformer(deps, messengers, DeliveryPolicy()),
        clock,
        DispatcherConfig(lease=timedelta(seconds=60), sweep_seconds=0.2),
    )
    try:
        topics = await seed_groups(session_factory)
        await dispatcher.start()
        try:
            await until(lambda: len(server.state.sent()) >= 200, within=60, what="200 reminders")
            await until_sent(session_factory)
        finally:
            await dispatcher.stop()
    finally:
        await bot.shutdown()
        await asyncio.to_thread(server.stop)

    state = server.state
    assert state.refused == []  # no send over a limit: the fake never answered 429
    sent = state.sent()
    assert len(sent) == 200
    assert Counter(call.chat_id for call in sent) == {int(g.chat_id): 4 for g in GROUPS}
    shown = " ".join(call.text for call in sent)
    assert all(f"<b>{topic}</b>" in shown for topic in topics)
    assert await statuses(session_factory) == {"sent": 200}


async def until_sent(sessions: async_sessionmaker[AsyncSession]) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 20
    while await statuses(sessions) != {"sent": 200}:
        if loop.time() > deadline:
            raise TimeoutError(f"rows not all sent: {await statuses(sessions)}")
        await asyncio.sleep(0.1)
