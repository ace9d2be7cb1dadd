"""The retention round, run beside the dispatcher: every ``interval`` it
prunes what is older than ``days`` (the pruning itself, batched and one
process at a time, is the storage's), and counts what went."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime, timedelta

from bot.clock import Clock

log = logging.getLogger(__name__)

Prune = Callable[[datetime], Awaitable[Mapping[str, int]]]
Sleep = Callable[[float], Awaitable[None]]


class Retention:
    def __init__(
        self,
        prune: Prune,
        clock: Clock,
        *,
        days: int,
        interval: float = 3600.0,
        first_delay: float = 60.0,
        on_pruned: Callable[[str, int], None] = lambda table, count: None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._prune = prune
        self._clock = clock
        self._days = days
        self._interval = interval
        self._first_delay = first_delay
        self._on_pruned = on_pruned
        self._sleep = sleep
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._days > 0:  # 0: keep everything
            self._task = asyncio.create_task(self._run(), name="retention")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            await asyncio.wait([task])

    async def round(self) -> Mapping[str, int]:
        cutoff = self._clock.now() - timedelta(days=self._days)
        counts = await self._prune(cutoff)
        for table, count in counts.items():
            if count:
                self._on_pruned(table, count)
        if any(counts.values()):
            log.info(
                "pruned rows older than %d days: %s",
                self._days,
                ", ".join(f"{count} from {table}" for table, count in counts.items() if count),
                extra={"event": "retention", **{f"pruned_{t}": c for t, c in counts.items()}},
            )
        return counts

    async def _run(self) -> None:
        # Not at start-up: replicas starting together need not all race for it.
        await self._sleep(self._first_delay)
        while True:
            try:
                await self.round()
            except Exception:  # a failed round is retried at the next one
                log.warning("pruning old rows failed; trying again later", exc_info=True)
            await self._sleep(self._interval)
