"""An asyncio event loop on a simulated clock, for code that only waits on
timers: when nothing is ready, time jumps to the next timer instead of passing.

    loop = VirtualTimeLoop()
    loop.run_until_complete(main())   # asyncio.sleep(350) returns at once
    loop.time()                       # simulated seconds since the start

It serves schedules that would take minutes of real waiting (a rate limiter
spreading a burst over Telegram's real limits). Waiting on sockets is not
simulated: a loop with nothing scheduled and nothing ready is a deadlock, and
says so.
"""

from __future__ import annotations

import asyncio
import selectors


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0


class _JumpingSelector(selectors.DefaultSelector):
    def __init__(self, clock: _Clock) -> None:
        super().__init__()
        self._clock = clock

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        if timeout is None:
            raise RuntimeError("simulated time: nothing scheduled and nothing ready (deadlock)")
        ready = super().select(0)  # the loop's own wake-up pipe, never a real wait
        if not ready:
            self._clock.now += max(timeout, 0.0)
        return ready


class VirtualTimeLoop(asyncio.SelectorEventLoop):
    def __init__(self) -> None:
        self._clock = _Clock()
        super().__init__(selector=_JumpingSelector(self._clock))

    def time(self) -> float:
        return self._clock.now
