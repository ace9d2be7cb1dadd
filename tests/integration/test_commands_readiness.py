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
            "2 command(s) wait for a worker, the oldest for 65 s:"
            " is a work process (`meetbridge work`) running?"
        )
        # A worker takes them: held under a live lease, they no longer wait.
        held = await queue.claim("w1", clock.now(), LEASE, 10)
        assert len(held) == 2
        assert (await check.probe()).detail == "no command waits for a worker"
        # Its holder died: once the lease has run out they wait again.
        clock.advance(LEASE)
        result = await check.probe()
        assert result.detail.startswith("2 command(s) wait for a worker, the oldest for 95 s")
        assert not result.ok
        for command in held:
            await queue.finish(command.id, "w1", clock.now(), done=True)
        assert (await check.probe()).ok
    finally:
        await engine.dispose()
