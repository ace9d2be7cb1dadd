"""Three dispatcher processes on one PostgreSQL database: every reminder is
delivered exactly once; when one process is killed mid-send, every reminder
is still delivered and the duplicates are at most what it was sending."""

from __future__ import annotations

import asyncio
import os
import signal
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import ScheduledActionRow
from tests.support.reminders import seed, statuses, utcnow
from tests.support.workers import deliveries as all_deliveries
from tests.support.workers import workers

pytestmark = [pytest.mark.timeout(60), pytest.mark.postgres]

COUNT = 1000


def deliveries(tmp_path: Path) -> Counter[str]:
    return Counter(all_deliveries(tmp_path))


def deliveries_per_file(tmp_path: Path) -> list[int]:
    return [len(path.read_text().split()) for path in tmp_path.glob("sent-*.txt")]


async def wait_delivered(tmp_path: Path, topics: list[str], within: float) -> Counter[str]:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not set(topics) <= set(sent := await asyncio.to_thread(deliveries, tmp_path)):
        if loop.time() > deadline:
            missing = len(set(topics) - set(sent))
            raise TimeoutError(f"{missing} reminders not delivered within {within}s")
        await asyncio.sleep(0.1)
    return sent


async def sending_by(sessions: async_sessionmaker[AsyncSession], owner: str) -> int:
    async with sessions() as session:
        result = await session.execute(
            select(func.count()).where(
                ScheduledActionRow.lease_owner == owner, ScheduledActionRow.status == "sending"
            )
        )
        return int(result.scalar_one())


async def test_three_processes_deliver_each_reminder_exactly_once(
    migrated_url: str, session_factory: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    if not migrated_url.startswith("postgresql"):
        pytest.skip("several processes on one database: PostgreSQL")
    with workers(migrated_url, tmp_path, 3):
        # Due once all three run (a start takes seconds on a busy machine).
        now = utcnow()
        fire = [now + timedelta(seconds=1) + timedelta(milliseconds=3 * n) for n in range(COUNT)]
        topics = await seed(session_factory, fire, now=now)
        sent = await wait_delivered(tmp_path, topics, within=40)
    assert sent == Counter(topics)  # each once
    assert await statuses(session_factory) == {"sent": COUNT}
    per_process = await asyncio.to_thread(deliveries_per_file, tmp_path)
    assert sum(1 for n in per_process if n) >= 2  # the work was shared out


async def test_a_process_killed_mid_send_loses_nothing(
    migrated_url: str, session_factory: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    if not migrated_url.startswith("postgresql"):
        pytest.skip("several processes on one database: PostgreSQL")
    with workers(migrated_url, tmp_path, 3, delay=0.05) as procs:
        # Due once all three run: worker-0 is then caught with rows in hand.
        now = utcnow()
        fire = [now + timedelta(seconds=1) + timedelta(milliseconds=2 * n) for n in range(COUNT)]
        topics = await seed(session_factory, fire, now=now)
        victim = procs[0]
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 20
        while await sending_by(session_factory, "worker-0") == 0:  # caught mid-send
            assert loop.time() < deadline, "worker-0 never started sending"
            await asyncio.sleep(0.01)
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait(timeout=10)
        in_flight = await sending_by(session_factory, "worker-0")  # frozen: it is dead
        sent = await wait_delivered(tmp_path, topics, within=40)
    duplicates = sum(sent.values()) - len(sent)
    print(f"\nkilled mid-send: {in_flight} rows in flight, {duplicates} duplicates")
    assert set(sent) == set(topics)
    assert duplicates <= in_flight
    final = await statuses(session_factory)
    assert final == {"sent": COUNT}
