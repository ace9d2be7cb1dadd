"""Work in flight that a graceful stop waits for: commands being answered
after their acknowledgement, which no HTTP request keeps open any more."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

from bot.tracing import ensure_request_scope

log = logging.getLogger(__name__)


class InFlight:
    def __init__(self) -> None:
        self._count = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self._tasks: set[asyncio.Task[None]] = set()  # the loop keeps weak references only

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

    def spawn(self, job: Coroutine[Any, Any, None]) -> None:
        """Run ``job`` in a task of its own, counted from now until it ends, so
        a listener can answer its request at once and go on after it: what it
        does afterwards is short (one Slack call), so it does not queue in the
        work pool. A failure is logged, never lost."""
        counted = ExitStack()
        counted.enter_context(self.track())
        task = asyncio.get_running_loop().create_task(_logged(job))
        self._tasks.add(task)
        task.add_done_callback(functools.partial(self._ended, job, counted))

    def _ended(
        self, job: Coroutine[Any, Any, None], counted: ExitStack, task: asyncio.Task[None]
    ) -> None:
        self._tasks.discard(task)
        job.close()  # a task cancelled before its first step never ran it
        counted.close()


async def _logged(job: Coroutine[Any, Any, None]) -> None:
    try:
        await job
    except Exception:
        log.exception("work after an acknowledgement failed")
