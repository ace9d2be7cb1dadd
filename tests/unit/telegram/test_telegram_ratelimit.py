"""The rate limiter on a fake clock: Telegram's published limits hold in every
window, and a RetryAfter is waited out."""

from __future__ import annotations

import asyncio
import itertools
from datetime import timedelta
from typing import Any

import pytest
from telegram.error import RetryAfter

from adapters.telegram.ratelimit import Limits, Request, TelegramRateLimiter

pytestmark = pytest.mark.timeout(30)


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def limiter(time: FakeTime, limits: Limits | None = None) -> TelegramRateLimiter:
    return TelegramRateLimiter(limits or Limits(margin=0.0), clock=time.clock, sleep=time.sleep)


async def send_times(rl: TelegramRateLimiter, time: FakeTime, chat_id: int, n: int) -> list[float]:
    times: list[float] = []

    async def request() -> bool:
        times.append(time.now)
        return True

    for _ in range(n):
        await rl.process_request(request, (), {}, "sendMessage", {"chat_id": chat_id}, None)
    return times


def most_in_any_window(times: list[float], seconds: float) -> int:
    return max(sum(1 for u in times if t <= u < t + seconds) for t in times)


async def test_a_group_gets_one_message_a_second_and_twenty_a_minute() -> None:
    time = FakeTime()
    times = await send_times(limiter(time), time, -100, 45)
    assert most_in_any_window(times, 1.0) == 1
    assert most_in_any_window(times, 60.0) == 20
    # The least time the limits allow: 20, a minute's wait, 20 more, another wait, 5.
    assert times[19] == 19
    assert times[20] == 60
    assert times[40] == 120
    assert times[-1] == 124


async def test_a_private_chat_has_no_minute_limit() -> None:
    time = FakeTime()
    times = await send_times(limiter(time), time, 42, 25)
    assert times == [float(n) for n in range(25)]


async def test_thirty_a_second_overall_a_gap_apart() -> None:
    time = FakeTime()
    rl = limiter(time)
    times: list[float] = []
    for chat in range(90):
        times += await send_times(rl, time, chat, 1)
    assert most_in_any_window(times, 1.0) == 30
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) == pytest.approx(Limits().overall.gap)
    assert times[30] == pytest.approx(1.0)  # thirty within the first second, then the next


async def test_other_methods_are_not_held_back() -> None:
    time = FakeTime()
    rl = limiter(time)
    await send_times(rl, time, -100, 1)

    async def request() -> bool:
        return True

    for _ in range(50):
        await rl.process_request(request, (), {}, "getChatMember", {"chat_id": -100}, None)
        await rl.process_request(request, (), {}, "answerCallbackQuery", {}, None)
    assert time.now == 0.0


async def test_retry_after_is_waited_out_then_the_request_is_made_again() -> None:
    time = FakeTime()
    rl = limiter(time)
    attempts: list[float] = []

    async def request() -> dict[str, Any]:
        attempts.append(time.now)
        if len(attempts) == 1:
            raise RetryAfter(7)
        return {"message_id": 1}

    result = await rl.process_request(request, (), {}, "sendMessage", {"chat_id": 5}, None)
    assert result == {"message_id": 1}
    assert attempts == [0.0, 7.0]
    assert rl.stats.retry_after_seen == 1


async def test_retry_after_without_end_gives_up() -> None:
    time = FakeTime()
    rl = limiter(time, Limits(margin=0.0, max_retries=2))

    async def request() -> bool:
        raise RetryAfter(1)

    with pytest.raises(RetryAfter):
        await rl.process_request(request, (), {}, "sendMessage", {"chat_id": 5}, None)
    assert rl.stats.retry_after_seen == 3


def test_scaled_limits_keep_the_counts() -> None:
    fast = Limits().scaled(0.1)
    assert (fast.per_group.count, fast.per_group.seconds) == pytest.approx((20, 6.0))
    assert (fast.overall.count, fast.overall.seconds) == pytest.approx((30, 0.1))
    assert fast.overall.gap == Limits().overall.gap  # the sender's pace, not scaled


async def test_retry_after_quiets_that_chat_and_no_other() -> None:
    # Real time at a hundredth of Telegram's windows; the pause is what is measured.
    rl = TelegramRateLimiter(Limits().scaled(0.01))
    sent: dict[str, float] = {}
    refused_once: set[str] = set()
    started = asyncio.get_running_loop().time()

    def request(name: str) -> Request:
        async def call() -> bool:
            if name == "a" and name not in refused_once:
                refused_once.add(name)
                raise RetryAfter(timedelta(seconds=0.3))
            sent[name] = asyncio.get_running_loop().time() - started
            return True

        return call

    async def send(name: str, chat_id: int, after: float = 0.0) -> None:
        await asyncio.sleep(after)
        await rl.process_request(request(name), (), {}, "sendMessage", {"chat_id": chat_id}, None)

    await asyncio.gather(send("a", 5), send("b", 5, after=0.05), send("c", 6, after=0.05))
    assert sent["c"] < 0.2  # another chat goes on
    assert sent["a"] >= 0.3
    assert sent["b"] >= 0.3  # the same chat waits with the refused message
