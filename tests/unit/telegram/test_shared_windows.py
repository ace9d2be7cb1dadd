"""The schedule of sends shared by replicas (``bot.ports.limits.earliest_until``) and
the rate limiter's use of it: every booked moment keeps every window."""

from __future__ import annotations

import asyncio
import itertools
import math
import random
from collections.abc import Callable, Sequence

import pytest

from adapters.telegram.ratelimit import Limits, TelegramRateLimiter
from bench._virtual_time import VirtualTimeLoop
from bot.ports import Booking, ToBook, Window
from bot.ports.limits import earliest_until

pytestmark = pytest.mark.timeout(30)


def earliest(
    now: float, booked: Sequence[tuple[Sequence[float], Sequence[Window]]], margin: float
) -> float:
    """The earliest moment with no horizon (one is always found)."""
    at = earliest_until(now, booked, margin, math.inf)
    assert at is not None
    return at


def holds(times: Sequence[float], window: Window, margin: float) -> bool:
    ordered = sorted(times)
    span = window.seconds + margin
    runs = all(
        ordered[i + window.count] - ordered[i] >= span - 1e-9
        for i in range(len(ordered) - window.count)
    )
    gap = window.spacing(margin)
    return runs and all(b - a >= gap - 1e-9 for a, b in itertools.pairwise(ordered))


def test_a_burst_in_one_chat_is_one_a_second_and_twenty_a_minute_in_a_group() -> None:
    chat = [Window(1, 1.0), Window(20, 60.0)]
    booked: list[float] = []
    for _ in range(25):
        booked.append(earliest(0.0, [(sorted(booked), chat)], 0.0))
    assert booked[:20] == [float(n) for n in range(20)]
    assert booked[20] == 60.0  # the 21st waits for the first to leave the minute
    assert all(holds(booked, w, 0.0) for w in chat)


def test_overall_sends_leave_a_gap_apart_and_thirty_in_a_window_with_the_margin() -> None:
    overall = Window(30, 1.0, gap=0.01)
    booked: list[float] = []
    for _ in range(90):
        booked.append(earliest(0.0, [(sorted(booked), [overall])], 0.05))
    assert booked[1] == pytest.approx(0.01)
    assert booked[29] == pytest.approx(0.29)
    assert booked[30] == pytest.approx(1.05)  # the window's first has left it
    assert booked[-1] == pytest.approx(2 * 1.05 + 0.29)
    assert holds(booked, overall, 0.05)


def test_a_gap_longer_than_even_spacing_spreads_the_window_evenly() -> None:
    overall = Window(30, 0.25, gap=0.0125)
    assert overall.spacing(0.0125) == pytest.approx(0.2625 / 30)
    booked: list[float] = []
    for _ in range(60):
        booked.append(earliest(0.0, [(sorted(booked), [overall])], 0.0125))
    assert booked[-1] == pytest.approx(59 * 0.2625 / 30)
    assert holds(booked, overall, 0.0125)


def test_a_booking_within_a_horizon_is_none_when_the_windows_are_full() -> None:
    overall = Window(30, 1.0)
    booked = [0.0] * 30
    assert earliest_until(0.5, [(booked, [overall])], 0.05, 1.0) is None
    assert earliest_until(0.5, [(booked, [overall])], 0.05, 1.1) == pytest.approx(1.05)


def test_bookings_from_many_chats_in_any_order_keep_every_window() -> None:
    """Replicas book in whatever order their sends come: a later chat may take
    a moment before others booked ahead, never one that breaks a window."""
    rng = random.Random(7)
    overall = Window(30, 1.0, gap=1 / 80)
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

    def __init__(self, clock: Callable[[], float], fail: bool = False) -> None:
        self.clock = clock
        self.fail = fail
        self.times: dict[str, list[float]] = {}
        self.asked: list[list[str]] = []
        self.rounds: list[tuple[float, list[ToBook], list[Booking | None]]] = []

    async def reserve_many(
        self, sends: Sequence[ToBook], margin: float, horizon: float
    ) -> list[Booking | None]:
        if self.fail:
            raise ConnectionError("the database is down")
        now = self.clock()
        bookings: list[Booking | None] = []
        for send in sends:
            self.asked.append([k for k, _ in send.keys])
            if send.instead is not None:
                for key, _ in send.keys:
                    self.times[key].remove(send.instead)
            booked = [(sorted(self.times.get(k, [])), w) for k, w in send.keys]
            at = earliest_until(now, booked, margin, now + horizon)
            if at is not None:
                for key, _ in send.keys:
                    self.times.setdefault(key, []).append(at)
            bookings.append(None if at is None else Booking(at, at - now))
        self.rounds.append((now, list(sends), bookings))
        return bookings


async def test_the_limiter_books_every_send_in_the_shared_windows_and_waits_its_turn() -> None:
    clock = [0.0]
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock[0] += seconds

    shared = Recorded(lambda: clock[0])
    limiter = TelegramRateLimiter(Limits(), clock=lambda: clock[0], sleep=sleep, shared=shared)
    for _ in range(3):
        await limiter.acquire(-100)
    await limiter.acquire(42)
    assert shared.asked == [["overall", "chat:-100"]] * 3 + [["overall", "chat:42"]]
    # One a second in the group (and the margin); the private chat a gap after.
    assert slept == pytest.approx([1.05, 1.05, Limits().overall.gap])
    assert limiter.stats.sends == 4


def test_a_burst_books_within_the_horizon_one_send_a_chat_a_round() -> None:
    """300 sends over 30 groups from one replica, on a simulated clock: no
    round books a moment beyond the horizon or two sends of one chat, every
    send leaves at its moment, and the burst takes what the windows allow."""
    loop = VirtualTimeLoop()
    limits = Limits()
    shared = Recorded(loop.time)
    limiter = TelegramRateLimiter(limits, clock=loop.time, shared=shared)
    horizon = 2 * (limits.overall.seconds + limits.margin)
    sent: dict[int, list[float]] = {}

    async def send(chat: int) -> None:
        await limiter.acquire(chat)
        sent.setdefault(chat, []).append(loop.time())

    async def burst() -> None:
        await asyncio.gather(*(send(-(n % 30) - 1) for n in range(300)))

    try:
        loop.run_until_complete(burst())
    finally:
        loop.close()
    for now, sends, bookings in shared.rounds:
        chats = [s.keys[-1][0] for s in sends]
        assert len(chats) == len(set(chats))
        assert all(b is None or b.moment <= now + horizon for b in bookings)
    everyone = sorted(t for times in sent.values() for t in times)
    assert len(everyone) == 300
    assert holds(everyone, limits.overall, limits.margin)
    assert all(holds(times, limits.per_chat, limits.margin) for times in sent.values())
    # Ten a chat, one a second and the margin: nine gaps, and the thirty
    # chats' first sends a gap apart.
    assert max(everyone) <= 9 * 1.05 + 30 * limits.overall.gap
    assert limiter.stats.rebooked == 0


async def test_a_send_woken_too_late_gives_its_moment_back_and_books_again() -> None:
    clock = [0.0]
    limits = Limits()

    async def oversleep(seconds: float) -> None:
        # The first wait ends a whole margin late (this process had no core).
        clock[0] += seconds + (limits.margin if not overslept else 0.0)
        overslept.append(seconds)

    overslept: list[float] = []
    shared = Recorded(lambda: clock[0])
    await shared.reserve_many(
        [ToBook([("overall", [limits.overall]), ("chat:-100", [limits.per_chat])])], 0.05, math.inf
    )
    limiter = TelegramRateLimiter(limits, clock=lambda: clock[0], sleep=oversleep, shared=shared)
    await limiter.acquire(-100)
    assert limiter.stats.rebooked == 1
    # Booked at 1.05, woken at 1.10: that moment went back, and the send took
    # the next one free (now: the chat's last send was 1.10 s before).
    assert shared.times["chat:-100"] == pytest.approx([0.0, 1.1])
    assert clock[0] == pytest.approx(1.1)


async def test_unreachable_shared_windows_fall_back_to_this_replicas_own() -> None:
    clock = [0.0]

    async def sleep(seconds: float) -> None:
        clock[0] += seconds

    limiter = TelegramRateLimiter(
        Limits(), clock=lambda: clock[0], sleep=sleep, shared=Recorded(lambda: clock[0], fail=True)
    )
    await limiter.acquire(-100)
    await limiter.acquire(-100)
    assert clock[0] == pytest.approx(1.05)  # the local per-chat window held the second
    assert limiter.stats.sends == 2
