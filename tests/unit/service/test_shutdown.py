"""The service's stop: components stop in reverse order within one budget; one
that overruns its share is cut short and the others still stop."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest
from starlette.routing import BaseRoute

from adapters.http import build_web_app
from adapters.http.shutdown import ShutdownBudget

pytestmark = pytest.mark.timeout(30)


class Part:
    def __init__(self, name: str, stopped: list[str], *, hangs: bool = False) -> None:
        self.name = name
        self._stopped = stopped
        self._hangs = hangs
        self.cancelled = False

    @property
    def routes(self) -> Sequence[BaseRoute]:
        return ()

    async def start(self) -> None:
        pass

    async def stop(self) -> None:
        if self._hangs:
            try:
                await asyncio.Event().wait()
            except asyncio.CancelledError:
                self.cancelled = True
                raise
        self._stopped.append(self.name)


def test_the_budget_counts_from_the_first_signal() -> None:
    now = [10.0]
    budget = ShutdownBudget(20, clock=lambda: now[0])
    now[0] = 15.0
    budget.begin()
    budget.begin()  # a second signal changes nothing
    now[0] = 30.0
    assert budget.remaining() == 5.0
    now[0] = 40.0
    assert budget.remaining() == 0.0
    assert budget.reserve == 1.0


async def test_a_stop_that_overruns_is_cut_short_and_the_rest_still_stop() -> None:
    stopped: list[str] = []
    first, stuck, last = (
        Part("first", stopped),
        Part("stuck", stopped, hangs=True),
        Part("last", stopped),
    )
    web = build_web_app([first, stuck, last], shutdown=ShutdownBudget(0.3))
    async with web.router.lifespan_context(web):
        pass
    assert stopped == ["last", "first"]  # reverse order, the stuck one skipped
    assert stuck.cancelled
