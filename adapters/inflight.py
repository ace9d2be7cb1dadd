"""Work in flight that a graceful stop waits for: commands being answered
after their acknowledgement, which no HTTP request keeps open any more."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

from bot.tracing import ensure_request_scope


class InFlight:
    def __init__(self) -> None:
        self._count = 0
        self._idle = asyncio.Event()
        self._idle.set()

    @property
    def count(self) -> int:
        return self._count

    @contextmanager
    def track(self) -> Iterator[None]:
        self._count += 1
        self._idle.clear()
        try:
            yield
        finally:
            self._count -= 1
            if self._count == 0:
                self._idle.set()

    async def idle(self) -> None:
        """Returns once nothing is in flight (at once if nothing is)."""
        await self._idle.wait()

    def wrap(self, listener: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        """``listener`` counted while it runs, under a request id (its own
        unless the caller has one). ``functools.wraps`` keeps what frameworks
        read of the listener's signature (``inspect.unwrap`` reaches it)."""

        @functools.wraps(listener)
        async def tracked(*args: Any, **kwargs: Any) -> Any:
            with self.track(), ensure_request_scope():
                return await listener(*args, **kwargs)

        return tracked
