"""The Telegram messenger's refusals in the core's terms: give up, or retry later."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from telegram.ext import ExtBot

from adapters.http.open_link import open_links_from
from adapters.telegram.messenger import TelegramMessenger
from adapters.telegram.ratelimit import Limits, TelegramRateLimiter
from adapters.telegram.render import OpenLink
from bot.cards import LINK_MARGIN
from bot.chat import ChatRef, UserRef
from bot.errors import DeliveryError
from bot.meeting import JoinInfo, Meeting
from bot.reminders.message import reminder_reply
from bot.reply import LinkContext, Reply, Text
from bot.schedule import Once
from bot.settings import Settings
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
    running: tuple[FakeTelegramServer, Bots],
    limits: Limits | None = None,
    open_link: OpenLink | None = None,
) -> TelegramMessenger:
    server, bots = running
    bot = ExtBot(
        server.state.token, base_url=f"{server.url}/bot", rate_limiter=TelegramRateLimiter(limits)
    )
    await bot.initialize()
    bots.append(bot)
    return TelegramMessenger(bot, open_link)


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


async def test_a_reminder_with_public_url_and_link_secret_has_the_open_button(
    server: tuple[FakeTelegramServer, Bots],
) -> None:
    settings = Settings(
        _env_file=None,
        public_url="https://bridge.example.com",
        link_secret="s3cret-s3cret-s3cret-s3cret-s3cret",
    )
    links = open_links_from(settings)
    assert links is not None
    sender = await messenger(server, open_link=links.url_for)
    start = datetime(2031, 3, 4, 9, 0, tzinfo=UTC)
    meeting = Meeting(
        backend="trueconf",
        conference_id="c7",
        chat=ChatRef("telegram", "1", "-100"),
        creator=UserRef("telegram", "1", "5"),
        topic="Standup",
        schedule=Once(start, "UTC"),
        duration=timedelta(minutes=30),
        owner_login="helen",
        created_at=start - timedelta(days=1),
        join=JoinInfo(
            browser_url="https://tc.example.com/webrtc/c7",
            app_deeplink="trueconf:c7@tc.example.com#vcs",
        ),
        id=7,
    )
    reply = reminder_reply(
        meeting,
        start,
        now=start - timedelta(minutes=10),
        zone="UTC",
        lang="en",
        capabilities=sender.capabilities,
    )
    await sender.send(meeting.chat, reply)
    [sent] = server[0].state.sent()
    urls = [b.get("url", "") for row in sent.markup["inline_keyboard"] for b in row]
    opened = [url for url in urls if url.startswith("https://bridge.example.com/open?")]
    assert opened, urls
    query = {k: v[0] for k, v in parse_qs(urlsplit(opened[0]).query).items()}
    assert query["to"] == "trueconf:c7@tc.example.com#vcs"
    # The link names the meeting and lasts until its end plus the margin.
    assert query["m"] == "7"
    expires = datetime.fromtimestamp(int(query["e"]), UTC)
    assert expires == start + timedelta(minutes=30) + LINK_MARGIN
    about = LinkContext(7, expires, "en")
    assert links.verify(query["to"], query.get("fallback", ""), query["sig"], about)
    assert "https://tc.example.com/webrtc/c7" in urls  # and join in the browser
