"""A dispatcher process killed (SIGKILL) at the worst moment of a weekly
meeting's occurrence: its reminder sent, the row being marked, the next
occurrence not yet planned. The kill comes from the claim store's fault hook
at that exact point, not from timing. After a restart the next occurrence is
planned once, and the reminder is re-sent only because it was never marked
(the one duplicate the bridge allows); the taken-over row is sent as usual,
not as "late". The repair pass: a weekly meeting left with no rows ahead is
planned once while several dispatchers race to do it."""

from __future__ import annotations

import asyncio
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import ScheduledActionRow
from tests.support.dispatch_worker import KILL_AT
from tests.support.reminders import OFFSET, reminder_rows, seed_weekly, utcnow
from tests.support.waiting import until_async
from tests.support.workers import deliveries, start_worker, stop, workers

pytestmark = pytest.mark.timeout(90)

WEEK = timedelta(days=7)


def due_now(now: datetime) -> tuple[datetime, timedelta]:
    """A start on a whole minute (as weekly times are) some 10 minutes ahead,
    and a reminder offset (whole seconds) that makes its reminder due now."""
    start = (now + OFFSET + timedelta(minutes=1)).replace(second=0, microsecond=0)
    return start, timedelta(seconds=int((start - now).total_seconds()))


async def wait_exit(proc: subprocess.Popen[str], within: float) -> int:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while (code := proc.poll()) is None:
        assert loop.time() < deadline, "the worker did not reach its kill point"
        await asyncio.sleep(0.05)
    return code


async def lease_owner(sessions: async_sessionmaker[AsyncSession], meeting_id: int) -> str | None:
    async with sessions() as session:
        owner: str | None = await session.scalar(
            select(ScheduledActionRow.lease_owner).where(
                ScheduledActionRow.meeting_id == meeting_id
            )
        )
    return owner


@pytest.mark.parametrize("point", ["finish:marked", "finish:committed"])
async def test_a_dispatcher_killed_while_recording_a_weekly_occurrence_loses_no_week(
    migrated_url: str,
    session_factory: async_sessionmaker[AsyncSession],
    tmp_path: Path,
    point: str,
) -> None:
    now = utcnow()
    start, offset = due_now(now)
    meeting = await seed_weekly(session_factory, "standup", start, now=now, offset=offset)
    procs: list[subprocess.Popen[str]] = []
    try:
        doomed = start_worker(migrated_url, tmp_path / "sent-0.txt", "doomed", env={KILL_AT: point})
        procs.append(doomed)
        assert await wait_exit(doomed, within=30) == -9  # SIGKILL, by its own hand
        assert deliveries(tmp_path) == {"standup": 1}
        if point == "finish:marked":
            # Killed inside the transaction: the row neither marked nor rolled.
            assert await reminder_rows(session_factory, meeting) == [(start, "sending")]
            assert await lease_owner(session_factory, meeting) == "doomed"
        else:
            assert await reminder_rows(session_factory, meeting) == [
                (start, "sent"),
                (start + WEEK, "pending"),
            ]

        procs.append(start_worker(migrated_url, tmp_path / "sent-1.txt", "restarted"))

        async def settled() -> bool:
            rows = await reminder_rows(session_factory, meeting)
            return rows[0][1] != "sending"

        await until_async(settled, within=30, what="the dead holder's row taken over")
    finally:
        stop(procs)
    # One row per occurrence: the next one planned once, this one sent, not "late".
    assert await reminder_rows(session_factory, meeting) == [
        (start, "sent"),
        (start + WEEK, "pending"),
    ]
    resent = 1 if point == "finish:marked" else 0  # sent, never marked: sent again
    assert deliveries(tmp_path) == {"standup": 1 + resent}


async def test_the_repair_pass_plans_a_silent_weekly_meeting_once_among_several_dispatchers(
    migrated_url: str,
    session_factory: async_sessionmaker[AsyncSession],
    tmp_path: Path,
) -> None:
    now = utcnow()
    # Left silent by a crash of an older release: this week's row done, next
    # week's never written; and one that never had a row at all.
    start = now.replace(second=0, microsecond=0) + timedelta(hours=2)
    done = await seed_weekly(session_factory, "done", start - WEEK, now=now, status="sent")
    bare = await seed_weekly(session_factory, "bare", start, now=now, status=None)
    with workers(migrated_url, tmp_path, 3):  # each repairs on start, at once

        async def repaired() -> bool:
            rows = [
                *await reminder_rows(session_factory, done),
                *await reminder_rows(session_factory, bare),
            ]
            return len(rows) == 3

        await until_async(repaired, within=30, what="both meetings planned")
        # Made silent again while they run: the sweep finds it.
        later = await seed_weekly(session_factory, "later", start, now=now, status=None)

        async def swept() -> bool:
            return bool(await reminder_rows(session_factory, later))

        await until_async(swept, within=30, what="the sweep's repair")
    assert await reminder_rows(session_factory, done) == [
        (start - WEEK, "sent"),
        (start, "pending"),
    ]
    assert await reminder_rows(session_factory, bare) == [(start, "pending")]
    assert await reminder_rows(session_factory, later) == [(start, "pending")]
    assert deliveries(tmp_path) == {}
