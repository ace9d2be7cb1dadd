"""The time a graceful stop may take, counted from the first stop signal."""

from __future__ import annotations

import time
from collections.abc import Callable


class ShutdownBudget:
    def __init__(self, seconds: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self._started: float | None = None

    def begin(self) -> None:
        """Start counting (the first call only: a second SIGTERM changes nothing)."""
        if self._started is None:
            self._started = self._clock()

    @property
    def began(self) -> bool:
        """A stop has been asked for."""
        return self._started is not None

    def remaining(self) -> float:
        self.begin()
        assert self._started is not None
        return max(0.0, self._started + self.seconds - self._clock())

    @property
    def reserve(self) -> float:
        """Kept back from the components' stops for what follows them (closing
        the database and the HTTP clients, leaving the process)."""
        return min(1.0, self.seconds / 10)
