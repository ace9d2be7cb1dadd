"""``/readyz`` reports whether the commands a messenger acknowledged are being
taken up (``<messenger>:commands``): a command no worker has held for a
minute says no work process is running (``WORK_PROCESS=false`` and nobody
runs ``meetbridge work``, or every worker is dead). On SQLite and PostgreSQL,
through the real queue, on an injected clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from adapters.http.readiness import Readiness
from bot.clock import FrozenClock
from meetbridge.readiness import WAITING_MOST, commands_check
from storage import build_engine
from storage.command_queue import SqlCommandQueue

pytestmark = pytest.mark.timeout(60)

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
LEASE = timedelta(seconds=30)


async def test_commands_no_worker_takes_up_are_reported_after_a_minute(migrated_url: str) -> None:
    engine = build_engine(migrated_url)
    clock = FrozenClock(NOW)
    queue = SqlCommandQueue(engine, "slack")
    check = commands_check("slack", queue, clock)
    readiness = Readiness([], dependencies=[check], cache_seconds=0)
    try:
        assert (await check.probe()).detail == "no command waits for a worker"
        await queue.accept("k1", "alice", {}, now=NOW, backlog=10)
        clock.advance(timedelta(seconds=5))
        await queue.accept("k2", "bob", {}, now=clock.now(), backlog=10)
        # Another messenger's waiting commands are its own check's.
        await SqlCommandQueue(engine, "telegram").accept("k3", "carol", {}, now=NOW, backlog=10)
        result = await check.probe()
        assert result.ok
        assert result.detail == "2 command(s) wait for a worker, the oldest for 5 s"
        clock.advance(WAITING_MOST)
        answer = await readiness.answer()
        assert answer["status"] == "ok"  # reported, not required
        finding = answer["dependencies"]["slack:commands"]
        assert not finding["ok"]
        assert finding["detail"] == (
            "2 command(s) wait for a worker, the oldest for 65 s: no worker takes them"
            " (is a `meetbridge work` running, or are all its commands stuck?)"
        )
        # A worker takes them: held under a live lease, they no longer wait.
        held = await queue.claim("w1", clock.now(), LEASE, 10)
        assert len(held) == 2
        assert (await check.probe()).detail == "no command waits for a worker"
        # Its holder died: once the lease has run out they wait again, from
        # the lease's end, and are overdue a minute later.
        clock.advance(LEASE)
        result = await check.probe()
        assert (result.ok, result.detail) == (
            True,
            "2 command(s) wait for a worker, the oldest for 0 s",
        )
        clock.advance(WAITING_MOST + timedelta(seconds=1))
        result = await check.probe()
        assert result.detail.startswith("2 command(s) wait for a worker, the oldest for 61 s")
        assert not result.ok
        for command in held:
            await queue.finish(command.id, "w1", clock.now(), done=True)
        assert (await check.probe()).ok
    finally:
        await engine.dispose()


async def test_a_command_behind_its_senders_running_one_is_not_overdue(
    migrated_url: str,
) -> None:
    """One person's commands are worked on one at a time: the second waits
    for the first, which a live worker holds for minutes (a slow server).
    That is no missing worker; nor is a command a stopping worker released."""
    engine = build_engine(migrated_url)
    clock = FrozenClock(NOW)
    queue = SqlCommandQueue(engine, "slack")
    check = commands_check("slack", queue, clock)
    try:
        await queue.accept("k1", "alice", {}, now=NOW, backlog=10)
        await queue.accept("k2", "alice", {}, now=NOW, backlog=10)
        [first] = await queue.claim("w1", NOW, LEASE, 10)
        for _ in range(4):  # the worker lives, renewing its lease
            clock.advance(LEASE / 2)
            await queue.renew("w1", clock.now() + LEASE)
        result = await check.probe()
        assert result.ok, result.detail
        assert result.detail == "no command waits for a worker"
        # It stops and gives the first back: takeable from its lease's end.
        await queue.release("w1")
        result = await check.probe()
        assert result.ok, result.detail
        assert result.detail == "1 command(s) wait for a worker, the oldest for 0 s"
        assert first.id is not None
    finally:
        await engine.dispose()
