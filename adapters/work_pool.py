"""The work that follows an acknowledgement, a few jobs at a time.

Slack wants every request acknowledged within 3 seconds, and the process that
acknowledges also does the work (profiles, the database, the conference server,
the reply) on the same event loop. Were every acknowledged command worked on at
once, a burst would fill the loop's queue with their steps and a new request's
acknowledgement would wait behind all of them. Here at most ``running`` jobs run
at a time and the rest wait their turn without costing the loop anything; past
``waiting`` queued jobs the pool refuses more, and the caller says so at once
instead of answering late.

How many run at once adapts to the loop: each job that starts notes how long
the loop took to reach it once it was free to start (a job that finds every
place taken notes nothing; it waits for a turn, and notes the delay from being
granted it to running). Over ``lag`` seconds means the loop is short
of CPU, where more jobs at once only lengthen every loop turn (and so every
acknowledgement) without finishing more work: one fewer may run. Well under it,
one more may, up to ``running``, so work that mostly waits on the conference
server still runs side by side.

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
import functools
import logging
import time
from collections import deque
from collections.abc import Callable, Coroutine
from contextlib import ExitStack
from typing import Any

from adapters.inflight import InFlight

log = logging.getLogger(__name__)

RUNNING = 8
WAITING = 2000
# A loop that takes longer than this to reach a ready job is short of CPU.
LAG = 0.002

Job = Coroutine[Any, Any, None]


class WorkPool:
    def __init__(
        self,
        inflight: InFlight,
        *,
        running: int = RUNNING,
        waiting: int = WAITING,
        lag: float = LAG,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if running < 1 or waiting < 0:
            raise ValueError("a work pool runs at least one job and queues zero or more")
        self._inflight = inflight
        self._capacity = running + waiting
        self._most = running
        self._lag = lag
        self._clock = clock
        self._limit = running  # how many may run now: 1 to ``running``
        self._active = 0
        # Each waiting job's turn: resolved with the loop time it was granted,
        # or ``None`` when the pool stops first.
        self._turns: deque[asyncio.Future[float | None]] = deque()
        self._stopping = False
        # One task per job from submission until it ends, running or waiting.
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def pending(self) -> int:
        """Jobs submitted and not finished (running or waiting)."""
        return len(self._tasks)

    @property
    def limit(self) -> int:
        """How many jobs may run at once right now."""
        return self._limit

    def submit(self, job: Job, *, if_dropped: Job | None = None) -> bool:
        """Queue ``job``; ``False`` (and both coroutines closed unrun) when the
        pool is full or stopping. ``if_dropped`` runs instead of ``job`` if the
        pool stops before ``job`` starts."""
        if len(self._tasks) >= self._capacity or self._stopping:
            _close(job, if_dropped)
            return False
        counted = ExitStack()  # in flight from now, not from the task's first step
        counted.enter_context(self._inflight.track())
        task = asyncio.get_running_loop().create_task(
            self._run(job, if_dropped, submitted=self._clock())
        )
        self._tasks.add(task)  # the loop keeps only a weak reference
        task.add_done_callback(functools.partial(self._ended, job, if_dropped, counted))
        return True

    def _ended(
        self, job: Job, if_dropped: Job | None, counted: ExitStack, task: asyncio.Task[None]
    ) -> None:
        # Here rather than in ``_run``: a task cancelled before its first step
        # (as ``asyncio.run`` does to what is left) never enters ``_run`` at all.
        self._tasks.discard(task)
        _close(job, if_dropped)  # whichever did not run
        counted.close()

    def stop_starting(self) -> None:
        """Start no job from now on: the waiting ones run their ``if_dropped``."""
        self._stopping = True
        while self._turns:
            turn = self._turns.popleft()
            if not turn.done():
                turn.set_result(None)

    async def _run(self, job: Job, if_dropped: Job | None, *, submitted: float) -> None:
        try:
            if await self._turn(reached=self._clock() - submitted):
                try:
                    await job
                finally:
                    self._leave()
            elif if_dropped is not None:
                job.close()
                await if_dropped
        except Exception:  # one job's failure must not pass unseen, nor stop others
            log.exception("a job after an acknowledgement failed")

    async def _turn(self, *, reached: float) -> bool:
        """Wait for a turn to run (``True``, counted as active) or for the stop
        (``False``). ``reached``: how long the loop took to reach this job."""
        if self._stopping:
            return False
        if self._active < self._limit and not self._turns:
            self._active += 1
            self._adapt(reached)
            return True
        turn: asyncio.Future[float | None] = asyncio.get_running_loop().create_future()
        self._turns.append(turn)
        try:
            granted = await turn
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled() and turn.result() is not None:
                self._leave()  # granted just before the cancellation: give it back
            raise
        if granted is None:
            return False
        if self._stopping:  # granted, then the stop came before it resumed: stopping wins
            self._leave()
            return False
        self._adapt(self._clock() - granted)
        return True

    def _adapt(self, lag: float) -> None:
        if lag > self._lag:
            self._limit = max(1, self._limit - 1)
        elif lag < self._lag / 2 and self._limit < self._most:
            self._limit += 1
            self._grant()

    def _leave(self) -> None:
        self._active -= 1
        self._grant()

    def _grant(self) -> None:
        now = self._clock()
        while self._turns and self._active < self._limit:
            turn = self._turns.popleft()
            if turn.done():  # its job was cancelled while it waited
                continue
            self._active += 1
            turn.set_result(now)


def _close(*jobs: Job | None) -> None:
    for job in jobs:
        if job is not None:
            job.close()
