"""A stand-in for ``asyncio.sleep`` in retry backoff."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SleepRecorder:
    """Records the delays asked for and never waits."""

    delays: list[float] = field(default_factory=list)

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
