"""``WorkPool``: at most ``running`` jobs at once (fewer while the loop lags),
a bounded queue behind them, each job in its submitter's context, counted until
it ends. The pool reads an injected clock, so the loop's lag is set by the test."""

from __future__ import annotations

import asyncio
import contextvars
import inspect
import logging

import pytest

from adapters.inflight import InFlight
from adapters.work_pool import WorkPool
from tests.support.waiting import until

pytestmark = pytest.mark.timeout(10)

LABEL: contextvars.ContextVar[str] = contextvars.ContextVar("label", default="-")


class Clock:
    """Advances ``step`` seconds at each reading: every lag the pool measures is
    ``step``. Zero by default, a loop that is never late."""

    def __init__(self) -> None:
        self.now = 0.0
        self.step = 0.0

    def __call__(self) -> float:
        self.now += self.step
        return self.now


class Jobs:
    """Jobs that hold until released, noting how many ran at once."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.running = 0
        self.most = 0
        self.done: list[str] = []

    async def job(self, name: str) -> None:
        self.running += 1
        self.most = max(self.most, self.running)
        try:
            await self.release.wait()
            self.done.append(f"{name}:{LABEL.get()}")
        finally:
            self.running -= 1


async def test_at_most_running_jobs_run_and_the_rest_wait_their_turn() -> None:
    inflight = InFlight()
    pool = WorkPool(inflight, running=2, waiting=10, clock=Clock())
    jobs = Jobs()
    for n in range(6):
        assert pool.submit(jobs.job(f"j{n}"))
    await until(lambda: jobs.running == 2, within=5, what="two jobs running")
    assert (pool.pending, inflight.count) == (6, 6)
    jobs.release.set()
    await asyncio.wait_for(inflight.idle(), 5)
    assert jobs.most == 2
    assert sorted(jobs.done) == [f"j{n}:-" for n in range(6)]
    assert pool.pending == 0


async def test_a_full_pool_refuses_and_the_refused_job_never_runs() -> None:
    pool = WorkPool(InFlight(), running=1, waiting=1, clock=Clock())
    jobs = Jobs()
    assert pool.submit(jobs.job("a"))
    assert pool.submit(jobs.job("b"))
    assert not pool.submit(jobs.job("c"))  # closed unrun: no "never awaited" warning
    jobs.release.set()
    await until(lambda: pool.pending == 0, within=5, what="the pool to drain")
    assert sorted(jobs.done) == ["a:-", "b:-"]
    assert pool.submit(jobs.job("d"))  # room again
    await until(lambda: pool.pending == 0, within=5, what="the pool to drain")


async def test_a_job_carries_its_submitters_context() -> None:
    pool = WorkPool(InFlight(), running=1, waiting=5, clock=Clock())
    jobs = Jobs()
    jobs.release.set()
    for label in ("req-1", "req-2"):
        token = LABEL.set(label)
        pool.submit(jobs.job(label))
        LABEL.reset(token)
    await until(lambda: pool.pending == 0, within=5, what="the jobs")
    assert jobs.done == ["req-1:req-1", "req-2:req-2"]


async def test_a_failing_job_is_logged_and_the_next_still_runs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    pool = WorkPool(InFlight(), running=1, waiting=5, clock=Clock())
    jobs = Jobs()
    jobs.release.set()

    async def broken() -> None:
        raise RuntimeError("boom")

    with caplog.at_level(logging.ERROR, logger="adapters.work_pool"):
        pool.submit(broken())
        pool.submit(jobs.job("after"))
        await until(lambda: pool.pending == 0, within=5, what="the jobs")
    assert jobs.done == ["after:-"]
    assert "a job after an acknowledgement failed" in caplog.text


async def test_once_stopping_waiting_jobs_run_their_dropped_note_instead() -> None:
    inflight = InFlight()
    pool = WorkPool(inflight, running=2, waiting=10, clock=Clock())
    jobs = Jobs()
    notes: list[str] = []

    async def note(name: str) -> None:
        notes.append(name)

    for n in range(5):
        assert pool.submit(jobs.job(f"j{n}"), if_dropped=note(f"j{n}"))
    await until(lambda: jobs.running == 2, within=5, what="two jobs running")
    pool.stop_starting()
    # The waiting three are told at once, while the running two still run.
    await until(lambda: len(notes) == 3, within=5, what="the dropped notes")
    assert sorted(notes) == ["j2", "j3", "j4"]
    assert (jobs.running, inflight.count) == (2, 2)
    assert not pool.submit(jobs.job("late"), if_dropped=note("late"))  # closed unrun
    jobs.release.set()
    await asyncio.wait_for(inflight.idle(), 5)
    assert sorted(jobs.done) == ["j0:-", "j1:-"]
    assert sorted(notes) == ["j2", "j3", "j4"]  # a job that ran is not also "dropped"
    assert pool.pending == 0


async def test_a_waiting_job_cancelled_at_shutdown_is_closed_unrun() -> None:
    inflight = InFlight()
    pool = WorkPool(inflight, running=1, waiting=5, clock=Clock())
    jobs = Jobs()
    pool.submit(jobs.job("running"))
    pool.submit(jobs.job("waiting"))
    await until(lambda: jobs.running == 1, within=5, what="the first job")
    for task in asyncio.all_tasks() - {asyncio.current_task()}:
        task.cancel()  # as asyncio.run does to what is left when it ends
    await asyncio.wait_for(inflight.idle(), 5)
    assert jobs.done == []
    assert pool.pending == 0
    jobs.release.set()
    assert pool.submit(jobs.job("next"))  # the slot came back
    await until(lambda: jobs.done == ["next:-"], within=5, what="the next job")


async def test_a_lagging_loop_runs_fewer_at_once_and_a_prompt_one_more_again() -> None:
    clock = Clock()
    clock.step = 0.010  # each job reached 10 ms late: the loop is short of CPU
    pool = WorkPool(InFlight(), running=4, waiting=20, lag=0.002, clock=clock)
    held = Jobs()
    for n in range(8):
        assert pool.submit(held.job(f"slow{n}"))
    # Each late start takes one off the limit: the first two start (limits 3
    # and 2), the third finds both places taken and waits, as do the rest,
    # noting nothing: a queue alone does not lower the limit further.
    await until(lambda: held.running == 2, within=5, what="two jobs running")
    await until(lambda: pool.pending == 8 and len(held.done) == 0, within=5, what="the queue")
    assert pool.limit == 2

    held.release.set()  # the waiting ones are granted turns and resume late
    await until(lambda: pool.pending == 0, within=5, what="the held jobs")
    assert held.most == 2
    assert pool.limit == 1

    clock.step = 0.0  # the loop keeps up again: each prompt start gives one back
    fresh = Jobs()
    for n in range(6):
        assert pool.submit(fresh.job(f"fresh{n}"))
    await until(lambda: fresh.running == 4, within=5, what="four running again")
    assert pool.limit == 4  # up to ``running``, no further
    fresh.release.set()
    await until(lambda: pool.pending == 0, within=5, what="the fresh jobs")
    assert fresh.most == 4


async def test_a_turn_granted_just_before_the_stop_does_not_start() -> None:
    pool = WorkPool(InFlight(), running=1, waiting=5, clock=Clock())
    second = Jobs()
    notes: list[str] = []

    async def note(name: str) -> None:
        notes.append(name)

    started, go = asyncio.Event(), asyncio.Event()

    async def first() -> None:
        started.set()
        await go.wait()
        # The stop is queued now; ending, this job grants the second its turn,
        # whose resumption is queued after the stop: both in one loop turn.
        asyncio.get_running_loop().call_soon(pool.stop_starting)

    assert pool.submit(first())
    assert pool.submit(second.job("second"), if_dropped=note("second"))
    await until(started.is_set, within=5, what="the first job")  # the second waits its turn
    go.set()
    await until(lambda: pool.pending == 0, within=5, what="the pool to drain")
    assert second.most == 0  # granted, yet never started
    assert notes == ["second"]


async def test_a_job_is_in_flight_from_submission_and_a_task_cancelled_unstarted_is_closed() -> (
    None
):
    inflight = InFlight()
    pool = WorkPool(inflight, running=1, waiting=5, clock=Clock())
    jobs = Jobs()
    job, dropped = jobs.job("never"), jobs.job("never-dropped")
    assert pool.submit(job, if_dropped=dropped)
    assert (inflight.count, pool.pending) == (1, 1)  # before the task's first step
    for task in asyncio.all_tasks() - {asyncio.current_task()}:
        task.cancel()  # before it ever ran, as asyncio.run does at its end
    await asyncio.wait_for(inflight.idle(), 5)
    assert pool.pending == 0
    assert inspect.getcoroutinestate(job) == inspect.CORO_CLOSED  # closed, never run
    assert inspect.getcoroutinestate(dropped) == inspect.CORO_CLOSED
    assert jobs.most == 0


def test_a_pool_runs_at_least_one_job() -> None:
    with pytest.raises(ValueError, match="at least one"):
        WorkPool(InFlight(), running=0, clock=Clock())
