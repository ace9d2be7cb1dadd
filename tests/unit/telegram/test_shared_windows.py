"""The schedule of sends shared by replicas (``bot.ports.limits.earliest``) and
the rate limiter's use of it: every booked moment keeps every window."""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence

import pytest

from adapters.telegram.ratelimit import Limits, TelegramRateLimiter
from bot.ports import Keyed, Window
from bot.ports.limits import earliest

pytestmark = pytest.mark.timeout(30)


def holds(times: Sequence[float], window: Window, margin: float) -> bool:
    ordered = sorted(times)
    span = window.seconds + margin
    runs = all(
        ordered[i + window.count] - ordered[i] >= span - 1e-9
        for i in range(len(ordered) - window.count)
    )
    if not window.smooth:
        return runs
    gap = span / window.count
    return runs and all(b - a >= gap - 1e-9 for a, b in itertools.pairwise(ordered))


def test_a_burst_in_one_chat_is_one_a_second_and_twenty_a_minute_in_a_group() -> None:
    chat = [Window(1, 1.0), Window(20, 60.0)]
    booked: list[float] = []
    for _ in range(25):
        booked.append(earliest(0.0, [(sorted(booked), chat)], 0.0))
    assert booked[:20] == [float(n) for n in range(20)]
    assert booked[20] == 60.0  # the 21st waits for the first to leave the minute
    assert all(holds(booked, w, 0.0) for w in chat)


def test_overall_sends_are_spread_evenly_with_the_margin() -> None:
    overall = Window(30, 1.0, smooth=True)
    booked: list[float] = []
    for _ in range(90):
        booked.append(earliest(0.0, [(sorted(booked), [overall])], 0.05))
    assert booked[1] == pytest.approx(1.05 / 30)
    assert booked[-1] == pytest.approx(89 * 1.05 / 30)
    assert holds(booked, overall, 0.05)


def test_bookings_from_many_chats_in_any_order_keep_every_window() -> None:
    """Replicas book in whatever order their sends come: a later chat may take
    a moment before others booked ahead, never one that breaks a window."""
    rng = random.Random(7)
    overall = Window(30, 1.0, smooth=True)
    chat_windows = [Window(1, 1.0), Window(20, 60.0)]
    everyone: list[float] = []
    chats: dict[int, list[float]] = {}
    now = 0.0
    for _ in range(600):
        now += rng.random() * 0.01
        chat = rng.randrange(20)
        mine = chats.setdefault(chat, [])
        at = earliest(now, [(sorted(everyone), [overall]), (sorted(mine), chat_windows)], 0.05)
        assert at >= now
        everyone.append(at)
        mine.append(at)
    assert holds(everyone, overall, 0.05)
    assert all(holds(times, w, 0.05) for times in chats.values() for w in chat_windows)


class Recorded:
    """A ``SharedWindows`` that books in memory, as the database would."""

    def __init__(self, clock: list[float], fail: bool = False) -> None:
        self.clock = clock
        self.fail = fail
        self.times: dict[str, list[float]] = {}
        self.asked: list[list[str]] = []

    async def reserve(self, keys: Sequence[Keyed], margin: float) -> float:
        if self.fail:
            raise ConnectionError("the database is down")
        self.asked.append([k for k, _ in keys])
        now = self.clock[0]
        at = earliest(now, [(sorted(self.times.get(k, [])), w) for k, w in keys], margin)
        for key, _ in keys:
            self.times.setdefault(key, []).append(at)
        return at - now

    async def reserve_many(self, sends: Sequence[Sequence[Keyed]], margin: float) -> list[float]:
        return [await self.reserve(keys, margin) for keys in sends]


async def test_the_limiter_books_every_send_in_the_shared_windows_and_waits_its_turn() -> None:
    clock = [0.0]
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock[0] += seconds

    shared = Recorded(clock)
    limiter = TelegramRateLimiter(Limits(), clock=lambda: clock[0], sleep=sleep, shared=shared)
    for _ in range(3):
        await limiter.acquire(-100)
    await limiter.acquire(42)
    assert shared.asked == [["overall", "chat:-100"]] * 3 + [["overall", "chat:42"]]
    # One a second in the group (a fifth longer when shared, and the margin);
    # the private chat right after.
    assert slept == pytest.approx([1.25, 1.25, 1.05 / 30])
    assert limiter.stats.sends == 4


async def test_unreachable_shared_windows_fall_back_to_this_replicas_own() -> None:
    clock = [0.0]

    async def sleep(seconds: float) -> None:
        clock[0] += seconds

    limiter = TelegramRateLimiter(
        Limits(), clock=lambda: clock[0], sleep=sleep, shared=Recorded(clock, fail=True)
    )
    await limiter.acquire(-100)
    await limiter.acquire(-100)
    assert clock[0] == pytest.approx(1.05)  # the local per-chat window held the second
    assert limiter.stats.sends == 2
