"""Spreads outgoing Bot API messages over time so Telegram never throttles the bot.

Telegram publishes three limits: about one message per second in a chat, 20
messages per minute in a group, about 30 messages per second overall. Each is a
sliding window here ("at most N sends in any T seconds"), which is what a server
counting recent requests enforces; a leaky bucket (PTB's ``AIORateLimiter``)
lets a full bucket through at once and has no per-chat limit, so it can exceed
a windowed limit at the start of a burst. A send waits until every window it
falls in has room, and retries after Telegram's ``RetryAfter``.

The clock, the sleep and the limits are injected, so tests can run a burst at
scaled limits, or with a fake clock, and still prove the behaviour.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
import warnings
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

from bot.metrics import Metrics, NoMetrics
from bot.ports import Keyed, SharedWindows, ToBook, Window

__all__ = ["Limits", "SharedWindows", "TelegramRateLimiter", "Window"]

log = logging.getLogger(__name__)

# Past this many chats, those with nothing left in their windows are dropped.
_CHATS_BEFORE_FORGETTING = 1024

# Methods that post into a chat; the rest (getChatMember, answerCallbackQuery,
# setMyCommands, ...) are not messages and are not counted by Telegram's limits.
MESSAGE_METHODS = frozenset(
    {
        "sendMessage",
        "sendDocument",
        "sendPhoto",
        "sendMediaGroup",
        "copyMessage",
        "forwardMessage",
    }
)


@dataclass(frozen=True, slots=True)
class Limits:
    # Window is a frozen dataclass: one shared default is safe.
    per_chat: Window = Window(1, 1.0)  # noqa: RUF009
    per_group: Window = Window(20, 60.0)  # noqa: RUF009
    # Thirty a second, leaving no closer than 80 a second: a burst of thirty
    # goes out within 0.4 s (the least time Telegram's limits allow counts
    # thirty at the start of each second; spread evenly they would take the
    # whole second) at a pace python-telegram-bot keeps up with (about 130 a
    # second on one core: bench/telegram_burst.py), so none leaves late.
    overall: Window = Window(30, 1.0, gap=1 / 80)  # noqa: RUF009
    # Added to every window, so the gap between two sends survives the jitter of
    # the network between here and Telegram.
    margin: float = 0.05
    max_retries: int = 5

    def scaled(self, factor: float) -> Limits:
        """The same counts over windows ``factor`` times as long (0.1: ten times faster)."""
        return Limits(
            per_chat=Window(self.per_chat.count, self.per_chat.seconds * factor),
            per_group=Window(self.per_group.count, self.per_group.seconds * factor),
            # The gap is the sender's pace, not Telegram's: it stays.
            overall=Window(self.overall.count, self.overall.seconds * factor, self.overall.gap),
            margin=self.margin * factor,
            max_retries=self.max_retries,
        )


class SlidingLog:
    """The times of the latest sends under one window."""

    def __init__(self, window: Window, margin: float) -> None:
        self._count = window.count
        self._span = window.seconds + margin
        self._gap = window.spacing(margin)
        self._times: deque[float] = deque()

    def wait(self, now: float) -> float:
        """Seconds until one more send fits (0: now)."""
        while self._times and self._times[0] <= now - self._span:
            self._times.popleft()
        gap = self._times[-1] + self._gap - now if self._times and self._gap else 0.0
        if len(self._times) < self._count:
            return max(gap, 0.0)
        return max(self._times[0] + self._span - now, gap)

    def record(self, now: float) -> None:
        self._times.append(now)

    @property
    def idle(self) -> bool:
        return not self._times


@dataclass
class RateStats:
    """What the limiter did: sends, time spent waiting, ``RetryAfter`` answers."""

    sends: int = 0
    waits: int = 0
    waited_seconds: float = 0.0
    retry_after_seen: int = 0
    rebooked: int = 0  # shared windows: sends that woke late and booked again


@dataclass(frozen=True, slots=True)
class _Waiting:
    """A send waiting for its booking: when it may go, and its moment."""

    send: ToBook
    booked: asyncio.Future[tuple[float, float]]


def retry_after_seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings():
        # PTB 22 warns that the attribute will become a timedelta; accept both.
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    return float(value)


Request = Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]]


@dataclass(slots=True)
class _ChatState:
    """One chat's queue and windows (per chat, and per group for groups), and
    until when Telegram told the bot to keep quiet there."""

    lock: asyncio.Lock
    logs: list[SlidingLog]
    paused_until: float = 0.0


# Sends booked in one round with the shared windows, at most.
BOOKED_AT_ONCE = 512
# A send woken late books again, this many times at most (then it goes).
REBOOKINGS = 3


class TelegramRateLimiter(BaseRateLimiter[None]):
    """PTB calls ``process_request`` for every Bot API request the bot makes, so
    command replies, callback answers and reminders all pass through here."""

    def __init__(
        self,
        limits: Limits | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        metrics: Metrics | None = None,
        shared: SharedWindows | None = None,
    ) -> None:
        self.limits = limits or Limits()
        # Windows every replica books its sends in (the database's), when the
        # bot's token is shared by several; None: this process's own.
        self._shared = shared
        self._to_book: list[_Waiting] = []
        # How far ahead a replica books: two of the overall windows, so it
        # books a round well before its moments come, and holds no more of
        # the budget than that (a replica that dies wastes at most this).
        self._horizon = 2 * (self.limits.overall.seconds + self.limits.margin)
        self._booker: asyncio.Task[None] | None = None
        self._metrics: Metrics = metrics or NoMetrics()
        self._clock = clock
        self._sleep = sleep
        self._overall = SlidingLog(self.limits.overall, self.limits.margin)
        self._chats: dict[str, _ChatState] = {}
        # Sends take the overall window in turn (asyncio locks are first come,
        # first served), so a burst costs one wake-up per send, not one per
        # waiter each time a slot frees.
        self._turnstile = asyncio.Lock()
        self.stats = RateStats()

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    def _chat(self, chat_id: object) -> _ChatState:
        key = str(chat_id)
        state = self._chats.get(key)
        if state is None:
            if len(self._chats) > _CHATS_BEFORE_FORGETTING:
                self._forget_idle()
            logs = [SlidingLog(self.limits.per_chat, self.limits.margin)]
            # Groups, supergroups and channels have negative ids (or an @username).
            if key.startswith(("-", "@")):
                logs.append(SlidingLog(self.limits.per_group, self.limits.margin))
            state = self._chats[key] = _ChatState(asyncio.Lock(), logs)
        return state

    def _forget_idle(self) -> None:
        """Drop chats nobody is sending to and with nothing recent, so memory
        follows the active chats only."""
        now = self._clock()
        for key, state in list(self._chats.items()):
            if not state.lock.locked() and all(
                log.wait(now) == 0 and log.idle for log in state.logs
            ):
                del self._chats[key]

    async def _hold(self, delay: float) -> None:
        self.stats.waits += 1
        self.stats.waited_seconds += delay
        self._metrics.rate_limiter_waited("telegram", delay)
        await self._sleep(delay)

    async def _wait_for(self, logs: list[SlidingLog]) -> None:
        while (delay := max(log.wait(self._clock()) for log in logs)) > 0:
            await self._hold(delay)

    async def acquire(self, chat_id: object) -> None:
        """Wait until a message to ``chat_id`` fits every limit, and count it.

        First the chat's own windows, in the chat's queue (only the holder of
        the chat's lock records into them, so they stay free once free); then
        the overall window, in the turnstile's queue."""
        chat = self._chat(chat_id)
        if self._shared is not None:
            # Booked with every send waiting in this process, each at its own
            # moment: no queue per chat (the bookings keep a chat's windows).
            while (pause := chat.paused_until - self._clock()) > 0:
                await self._hold(pause)
            if await self._book_shared(chat_id):
                return
        async with chat.lock:
            while (pause := chat.paused_until - self._clock()) > 0:
                await self._hold(pause)
            await self._wait_for(chat.logs)
            async with self._turnstile:
                await self._wait_for([self._overall])
                now = self._clock()
                for log in (*chat.logs, self._overall):
                    log.record(now)
                self.stats.sends += 1

    async def _booked(self, send: ToBook) -> tuple[float, float]:
        """When one send may go (on this limiter's clock) and its moment as the
        shared windows keep it, booked with every other send waiting in this
        process, in rounds (they queue on the shared rows anyway)."""
        waiting = _Waiting(send, asyncio.get_running_loop().create_future())
        self._to_book.append(waiting)
        if self._booker is None or self._booker.done():
            self._booker = asyncio.create_task(self._book_waiting())
        return await waiting.booked

    def _next_round(self) -> list[_Waiting]:
        """The first waiting send of each chat, in order, taken off the queue.

        One a chat a round: a replica that booked a chat's whole horizon in
        one go would take the budget the other replicas' chats need first,
        and a burst limited by its chats would end only when the last
        replica's chats end. A chat's next send books a round later, still
        well before the chat's window lets it go."""
        batch: list[_Waiting] = []
        later: list[_Waiting] = []
        chats: set[str] = set()
        for waiting in self._to_book:
            if waiting.booked.done():  # its sender gave up (cancelled)
                continue
            chat = waiting.send.keys[-1][0]
            if chat in chats or len(batch) >= BOOKED_AT_ONCE:
                later.append(waiting)
            else:
                chats.add(chat)
                batch.append(waiting)
        self._to_book = later
        return batch

    async def _book_waiting(self) -> None:
        """Rounds of bookings until nothing waits. Each books what fits within
        the horizon; the rest, in its order, waits for the next round (a
        quarter of the horizon on, when the windows have moved on)."""
        assert self._shared is not None
        while batch := self._next_round():
            try:
                bookings = await self._shared.reserve_many(
                    [w.send for w in batch], self.limits.margin, self._horizon
                )
            except Exception as exc:  # each waiting send hears of it
                for waiting in batch:
                    if not waiting.booked.done():
                        waiting.booked.set_exception(exc)
                continue
            now = self._clock()
            left = []
            for waiting, booking in zip(batch, bookings, strict=True):
                if booking is None:
                    left.append(waiting)
                elif not waiting.booked.done():
                    waiting.booked.set_result((now + booking.delay, booking.moment))
            self._to_book = left + self._to_book
            if self._to_book:
                await self._sleep(self._horizon / 4)

    async def _book_shared(self, chat_id: object) -> bool:
        """Book the send in the windows shared with the other replicas and wait
        for its moment; ``False`` when they cannot be reached (this process's
        own windows then hold it, as with one replica)."""
        assert self._shared is not None
        key = str(chat_id)
        limits = self.limits
        windows = [limits.per_chat]
        if key.startswith(("-", "@")):
            windows.append(limits.per_group)
        # The chat's key last: a round takes one send a chat.
        keys: list[Keyed] = [("overall", [limits.overall]), (f"chat:{key}", windows)]
        # A send that goes later than half the margin after its moment (woken
        # late, or its booking answered late) might reach Telegram right
        # before one another replica booked just after it: it books again.
        # Its moment is given back as it books again: it was not used.
        late = self.limits.margin / 2
        send = ToBook(keys)
        for _ in range(REBOOKINGS):
            try:
                due, moment = await self._booked(send)
            except Exception as exc:
                log.warning("shared Telegram limits unreachable (%s): this replica's own", exc)
                return False
            if (delay := due - self._clock()) > 0:
                await self._hold(delay)
            if self._clock() - due <= late:
                break
            self.stats.rebooked += 1
            send = ToBook(keys, instead=moment)
        self.stats.sends += 1
        return True

    async def process_request(  # noqa: PLR0917 (BaseRateLimiter's signature)
        self,
        callback: Request,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,  # noqa: ARG002 (the bridge passes none)
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        chat_id = data.get("chat_id")
        limited = endpoint in MESSAGE_METHODS and chat_id is not None
        attempt = 0
        while True:
            if limited:
                await self.acquire(chat_id)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                self.stats.retry_after_seen += 1
                attempt += 1
                if attempt > self.limits.max_retries:
                    raise
                delay = retry_after_seconds(error)
                log.warning("Telegram asked to wait %.1fs before %s", delay, endpoint)
                if limited:
                    # The whole chat waits, not just this message; other chats go on.
                    chat = self._chat(chat_id)
                    chat.paused_until = max(chat.paused_until, self._clock() + delay)
                else:
                    await self._sleep(delay)
