"""Telegram's limits shared by replicas through PostgreSQL: three replicas
(three engines, as three processes would have) booking sends at once to the
same chats never break a window between them; a replica books no further
ahead than its horizon, so one that dies holds no more of the budget than
that; a moment given back is free again."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Sequence

import pytest
from sqlalchemy import select

from bot.ports import Keyed, ToBook, Window
from storage import build_engine, upgrade
from storage.models import SendWindowRow
from storage.send_windows import SqlSendWindows


async def reserve(windows: SqlSendWindows, keys: Sequence[Keyed], margin: float) -> float:
    """One send booked with no horizon: the seconds until its moment."""
    [booking] = await windows.reserve_many([ToBook(keys)], margin, float("inf"))
    assert booking is not None, "without a horizon every send is booked"
    return booking.delay


pytestmark = pytest.mark.timeout(60)

# Telegram's per-chat window ten times shorter, and an overall one long
# enough that every booking lies ahead (rows keep what a window still counts).
OVERALL = Window(30, 6.0, gap=0.01)
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
    gap = window.spacing(MARGIN)
    apart = all(b - a >= gap - 1e-6 for a, b in itertools.pairwise(ordered))
    return runs and apart


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_three_replicas_booking_at_once_keep_every_window(database_url: str) -> None:
    await upgrade(database_url)
    engines = [build_engine(database_url) for _ in range(3)]
    try:
        replicas = [SqlSendWindows(engine, "telegram:1") for engine in engines]

        async def send(replica: SqlSendWindows, chats: list[int]) -> None:
            for chat in chats:
                # Below 0 when the answer came after the moment (a replica
                # then books again): the moments are what this test checks.
                await reserve(replica, keys(chat), MARGIN)

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
    # A minute a send: no test machine is slow enough to blur it.
    chat = [ToBook([("chat:-1", [Window(1, 60.0)])])]
    try:
        first, second = SqlSendWindows(engine, "telegram:1"), SqlSendWindows(engine, "telegram:2")
        [one] = await first.reserve_many(chat, MARGIN, 120.0)
        [other] = await second.reserve_many(chat, MARGIN, 120.0)
        [again] = await first.reserve_many(chat, MARGIN, 120.0)
    finally:
        await engine.dispose()
    assert one is not None
    assert other is not None
    assert again is not None
    assert other.moment < one.moment + 60.0  # another bot: not held back
    assert again.moment >= one.moment + 60.0  # the same bot and chat: waits


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_a_round_books_only_within_its_horizon(database_url: str) -> None:
    await upgrade(database_url)
    engine = build_engine(database_url)
    try:
        windows = SqlSendWindows(engine, "telegram:1")
        # Forty sends to forty chats; thirty fit the overall window's first
        # six seconds, the rest lie beyond a one-second horizon.
        bookings = await windows.reserve_many(
            [ToBook(keys(-n - 1)) for n in range(40)], MARGIN, 1.0
        )
        booked = [b for b in bookings if b is not None]
        assert len(booked) == 30
        assert bookings[30:] == [None] * 10  # in order: the first thirty went
        assert max(b.delay for b in booked) <= 1.0 + MARGIN
    finally:
        await engine.dispose()


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_a_replica_that_dies_holds_no_more_than_its_horizon(database_url: str) -> None:
    """A replica books a round and dies before sending: the moments it booked
    stay booked (nobody can tell it will not send), but it booked none past
    its horizon, so the others wait no longer than that, and a moment that
    has left every window costs nothing."""
    await upgrade(database_url)
    engines = [build_engine(database_url) for _ in range(2)]
    try:
        dead, alive = (SqlSendWindows(engine, "telegram:1") for engine in engines)
        horizon = 0.5
        held = await dead.reserve_many([ToBook(keys(-n - 1)) for n in range(60)], MARGIN, horizon)
        assert sum(b is not None for b in held) == 30  # a window's worth: all there was
        await engines[0].dispose()  # it dies
        # Another chat: the overall window, full of the dead replica's moments,
        # opens one window after the first of them (within the horizon).
        delay = await reserve(alive, keys(-100), MARGIN)
        first = min(b.delay for b in held if b is not None)
        assert delay <= first + OVERALL.seconds + MARGIN + horizon
        # One of its chats: taken for that chat's window, no longer.
        delay = await reserve(alive, [("chat:-1", [PER_CHAT, PER_GROUP])], MARGIN)
        assert delay <= horizon + PER_CHAT.seconds + MARGIN
    finally:
        for engine in engines:
            await engine.dispose()


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_a_moment_given_back_is_free_again(database_url: str) -> None:
    await upgrade(database_url)
    engine = build_engine(database_url)
    try:
        windows = SqlSendWindows(engine, "telegram:1")
        chat = [("chat:-1", [Window(1, 60.0)])]  # a minute a send: no machine blurs it
        [first] = await windows.reserve_many([ToBook(chat)], MARGIN, 120.0)
        [second] = await windows.reserve_many([ToBook(chat)], MARGIN, 120.0)
        assert first is not None
        assert second is not None
        assert second.moment - first.moment == pytest.approx(60.0 + MARGIN)
        # The second woke too late: it gives its moment back and books again,
        # right after the first's window (without the give-back, a minute
        # after its own); the row keeps the first and the new moment only.
        [again] = await windows.reserve_many([ToBook(chat, instead=second.moment)], MARGIN, 120.0)
        assert again is not None
        assert again.moment == pytest.approx(second.moment)
        async with engine.connect() as connection:
            times = (
                await connection.execute(
                    select(SendWindowRow.times).where(SendWindowRow.key == "telegram:1:chat:-1")
                )
            ).scalar_one()
        assert sorted(times) == [first.moment, again.moment]
    finally:
        await engine.dispose()
