"""Telegram's limits shared by replicas through PostgreSQL: three replicas
(three engines, as three processes would have) booking sends at once to the
same chats never break a window between them."""

from __future__ import annotations

import asyncio
import itertools

import pytest
from sqlalchemy import select

from bot.ports import Keyed, Window
from storage import build_engine, upgrade
from storage.models import SendWindowRow
from storage.send_windows import SqlSendWindows

pytestmark = pytest.mark.timeout(60)

# Telegram's per-chat window ten times shorter, and an overall one long
# enough that every booking lies ahead (rows keep what a window still counts).
OVERALL = Window(30, 6.0, smooth=True)
PER_CHAT = Window(1, 0.1)
PER_GROUP = Window(20, 6.0)
MARGIN = 0.005


def keys(chat: int) -> list[Keyed]:
    return [("overall", [OVERALL]), (f"chat:{chat}", [PER_CHAT, PER_GROUP])]


def holds(times: list[float], window: Window) -> bool:
    """The moments keep the window (to a microsecond: they are epoch seconds)."""
    ordered = sorted(times)
    span = window.seconds + MARGIN
    runs = all(
        ordered[i + window.count] - ordered[i] >= span - 1e-6
        for i in range(len(ordered) - window.count)
    )
    gap = span / window.count
    even = not window.smooth or all(b - a >= gap - 1e-6 for a, b in itertools.pairwise(ordered))
    return runs and even


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_three_replicas_booking_at_once_keep_every_window(database_url: str) -> None:
    await upgrade(database_url)
    engines = [build_engine(database_url) for _ in range(3)]
    try:
        replicas = [SqlSendWindows(engine, "telegram:1") for engine in engines]

        async def send(replica: SqlSendWindows, chats: list[int]) -> None:
            for chat in chats:
                delay = await replica.reserve(keys(chat), MARGIN)
                assert delay >= 0

        # Each replica sends 30 messages round the same 5 group chats.
        await asyncio.gather(*(send(r, [-(n % 5) - 1 for n in range(30)]) for r in replicas))
        async with engines[0].connect() as connection:
            rows = dict(
                (await connection.execute(select(SendWindowRow.key, SendWindowRow.times))).all()
            )
    finally:
        for engine in engines:
            await engine.dispose()
    everyone = rows["telegram:1:overall"]
    assert len(everyone) == 90
    assert holds(everyone, OVERALL)
    for chat in range(1, 6):
        times = rows[f"telegram:1:chat:-{chat}"]
        assert len(times) == 18  # 3 replicas × 6 each
        assert holds(times, PER_CHAT)
        assert holds(times, PER_GROUP)


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_each_bot_has_its_own_windows(database_url: str) -> None:
    await upgrade(database_url)
    engine = build_engine(database_url)
    try:
        first, second = SqlSendWindows(engine, "telegram:1"), SqlSendWindows(engine, "telegram:2")
        assert await first.reserve(keys(-1), MARGIN) == 0
        assert await second.reserve(keys(-1), MARGIN) == 0  # another bot: not held back
        assert await first.reserve(keys(-1), MARGIN) > 0  # the same bot and chat: waits
    finally:
        await engine.dispose()
