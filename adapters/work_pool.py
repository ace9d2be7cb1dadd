"""The work that follows an acknowledgement, a few jobs at a time.

Slack wants every request acknowledged within 3 seconds, and the process that
acknowledges also does the work (profiles, the database, the conference server,
the reply) on the same event loop. Were every acknowledged command worked on at
once, a burst would fill the loop's queue with their steps and a new request's
acknowledgement would wait behind all of them. Here at most ``running`` jobs run
at a time and the rest wait their turn without costing the loop anything, so an
acknowledgement waits behind a few steps at most; past ``waiting`` queued jobs
the pool refuses more, and the caller says so at once instead of answering late.

Jobs run in a task that carries the submitter's context (its request id), and
the ``InFlight`` given counts each from submission to end, so a graceful stop
waits for the queued ones too.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

from adapters.inflight import InFlight

log = logging.getLogger(__name__)

RUNNING = 8
WAITING = 2000


class WorkPool:
    def __init__(
        self, inflight: InFlight, *, running: int = RUNNING, waiting: int = WAITING
    ) -> None:
        if running < 1 or waiting < 0:
            raise ValueError("a work pool runs at least one job and queues zero or more")
        self._inflight = inflight
        self._limit = running + waiting
        self._running = running
        self._slots: asyncio.Semaphore | None = None  # made in the running loop
        self._pending = 0
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def pending(self) -> int:
        """Jobs submitted and not finished (running or waiting)."""
        return self._pending

    def submit(self, job: Coroutine[Any, Any, None]) -> bool:
        """Queue ``job``; ``False`` (and the job closed unrun) when the pool is full."""
        if self._pending >= self._limit:
            job.close()
            return False
        if self._slots is None:
            self._slots = asyncio.Semaphore(self._running)
        self._pending += 1
        task = asyncio.get_running_loop().create_task(self._run(job, self._slots))
        self._tasks.add(task)  # the loop keeps only a weak reference
        task.add_done_callback(self._tasks.discard)
        return True

    async def _run(self, job: Coroutine[Any, Any, None], slots: asyncio.Semaphore) -> None:
        with self._inflight.track():
            try:
                async with slots:
                    await job
            except Exception:  # one job's failure must not pass unseen, nor stop others
                log.exception("a job after an acknowledgement failed")
            finally:
                self._pending -= 1
                job.close()  # a job cancelled while it waited was never started
