"""``InFlight.spawn``: work a listener goes on with after its answer, counted
until it ends (so a graceful stop waits for it), its failure logged."""

from __future__ import annotations

import asyncio
import inspect
import logging

import pytest

from adapters.inflight import InFlight

pytestmark = pytest.mark.timeout(10)


async def test_spawned_work_is_in_flight_until_it_ends() -> None:
    inflight = InFlight()
    release = asyncio.Event()
    done: list[str] = []

    async def work() -> None:
        await release.wait()
        done.append("work")

    inflight.spawn(work())
    assert inflight.count == 1  # counted before the task's first step
    idle = asyncio.create_task(inflight.idle())
    await asyncio.sleep(0)
    assert not idle.done()
    release.set()
    await asyncio.wait_for(idle, 5)
    assert (done, inflight.count) == (["work"], 0)


async def test_a_failure_is_logged_and_still_leaves(caplog: pytest.LogCaptureFixture) -> None:
    inflight = InFlight()

    async def broken() -> None:
        raise RuntimeError("lost post")

    with caplog.at_level(logging.ERROR, logger="adapters.inflight"):
        inflight.spawn(broken())
        await asyncio.wait_for(inflight.idle(), 5)
    assert inflight.count == 0
    [record] = caplog.records
    assert record.exc_info is not None
    assert "lost post" in str(record.exc_info[1])


async def test_work_cancelled_before_it_starts_is_closed_and_leaves() -> None:
    inflight = InFlight()
    started: list[str] = []

    async def work() -> None:
        started.append("work")

    job = work()
    inflight.spawn(job)
    [task] = asyncio.all_tasks() - {asyncio.current_task()}  # the one a stop would cancel
    task.cancel()
    await asyncio.wait_for(inflight.idle(), 5)
    assert started == []
    assert inspect.getcoroutinestate(job) == inspect.CORO_CLOSED  # no "never awaited" warning
