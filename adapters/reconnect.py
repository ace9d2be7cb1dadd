"""Connecting to an outside service in the background, again and again until
it works: a messenger whose API is down must not keep the service from
starting (``/healthz`` answers, the other messenger serves, a stop signal is
obeyed), and must not fill the log with a traceback per attempt.

Each failure is one line naming what failed and why; the wait between
attempts doubles from ``first_wait`` up to ``max_wait``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from tenacity import AsyncRetrying, RetryCallState, retry_if_exception_type, wait_exponential

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]


class Reconnecting:
    def __init__(
        self,
        name: str,
        connect: Callable[[], Awaitable[None]],
        describe: Callable[[Exception], str],
        *,
        first_wait: float = 1.0,
        max_wait: float = 60.0,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.name = name
        self._connect = connect
        self._describe = describe
        self._first_wait = first_wait
        self._max_wait = max_wait
        self._sleep = sleep
        self._task: asyncio.Task[None] | None = None
        self.connected = False
        self.attempts = 0
        self.problem: str | None = None  # the last failure, while not connected

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=f"connect {self.name}")

    async def wait(self) -> None:
        """Until connected (for tests and callers that must have the connection)."""
        if self._task is not None:
            await asyncio.shield(self._task)

    async def stop(self) -> None:
        """Stop trying (a connection already made is the caller's to close)."""
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()
            await asyncio.wait([task])  # its cancellation is not ours to raise

    async def _run(self) -> None:
        retrying = AsyncRetrying(
            wait=wait_exponential(
                multiplier=self._first_wait, min=self._first_wait, max=self._max_wait
            ),
            retry=retry_if_exception_type(Exception),
            before_sleep=self._failed,
            sleep=self._sleep,
            reraise=True,
        )
        async for attempt in retrying:
            with attempt:
                self.attempts += 1
                await self._connect()
        self.connected = True
        self.problem = None
        if self.attempts > 1:
            log.info("%s: connected after %d attempts", self.name, self.attempts)

    def _failed(self, state: RetryCallState) -> None:
        outcome = state.outcome
        exc = outcome.exception() if outcome is not None else None
        self.problem = self._describe(exc) if isinstance(exc, Exception) else "failed"
        wait = state.next_action.sleep if state.next_action is not None else 0.0
        log.warning(
            "%s: %s; trying again in %.0f s",
            self.name,
            self.problem,
            wait,
            extra={"event": "connect_failed", "component": self.name},
        )


class OneLineLogger(logging.LoggerAdapter):  # type: ignore[type-arg]
    """For a library that retries on its own and logs a traceback with each
    attempt (slack-sdk's Socket Mode client): the same lines, one line each."""

    def exception(self, msg: object, *args: object, **kwargs: object) -> None:
        kwargs.pop("exc_info", None)
        self.warning(msg, *args, **kwargs)  # type: ignore[arg-type]
