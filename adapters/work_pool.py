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
waits for them. Once ``stop_starting`` is called (the process is stopping), the
jobs still waiting are not started: each runs its ``if_dropped`` instead (a
note to the person that nothing was done), so a stop takes as long as the jobs
already running, not the whole queue, and nobody waits for an answer that will
never come.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Coroutine
from typing import Any

from adapters.inflight import InFlight

log = logging.getLogger(__name__)

RUNNING = 8
WAITING = 2000

Job = Coroutine[Any, Any, None]


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
        self._stopping: asyncio.Event | None = None
        self._pending = 0
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def pending(self) -> int:
        """Jobs submitted and not finished (running or waiting)."""
        return self._pending

    def submit(self, job: Job, *, if_dropped: Job | None = None) -> bool:
        """Queue ``job``; ``False`` (and both coroutines closed unrun) when the
        pool is full or stopping. ``if_dropped`` runs instead of ``job`` if the
        pool stops before ``job`` starts."""
        if self._pending >= self._limit or self.stopping:
            _close(job, if_dropped)
            return False
        if self._slots is None:
            self._slots = asyncio.Semaphore(self._running)
        self._pending += 1
        task = asyncio.get_running_loop().create_task(self._run(job, if_dropped, self._slots))
        self._tasks.add(task)  # the loop keeps only a weak reference
        task.add_done_callback(self._tasks.discard)
        return True

    @property
    def stopping(self) -> bool:
        return self._stopping is not None and self._stopping.is_set()

    def stop_starting(self) -> None:
        """Start no job from now on: the waiting ones run their ``if_dropped``."""
        if self._stopping is None:
            self._stopping = asyncio.Event()
        self._stopping.set()

    async def _run(self, job: Job, if_dropped: Job | None, slots: asyncio.Semaphore) -> None:
        with self._inflight.track():
            try:
                if await self._turn(slots):
                    try:
                        await job
                    finally:
                        slots.release()
                elif if_dropped is not None:
                    job.close()
                    await if_dropped
            except Exception:  # one job's failure must not pass unseen, nor stop others
                log.exception("a job after an acknowledgement failed")
            finally:
                self._pending -= 1
                _close(job, if_dropped)  # whichever did not run (or was cancelled waiting)

    async def _turn(self, slots: asyncio.Semaphore) -> bool:
        """Wait for a free slot (``True``, holding it) or for the stop (``False``)."""
        if self._stopping is None:
            self._stopping = asyncio.Event()
        if self._stopping.is_set():
            return False
        acquiring = asyncio.ensure_future(slots.acquire())
        stopped = asyncio.ensure_future(self._stopping.wait())
        try:
            await asyncio.wait({acquiring, stopped}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopped.cancel()
            if not acquiring.done():
                acquiring.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await acquiring
        if acquiring.cancelled() or not acquiring.done():
            return False
        if self._stopping.is_set():  # both at once: stopping wins, the slot goes back
            slots.release()
            return False
        return True


def _close(*jobs: Job | None) -> None:
    for job in jobs:
        if job is not None:
            job.close()
