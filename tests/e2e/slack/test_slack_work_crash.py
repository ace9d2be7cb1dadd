"""An acknowledged command is in the database before Slack hears "working on
it", so it survives the death of either process: the work process killed
(SIGKILL) before it took the command or in the middle of its work, or the
serving process killed right after the acknowledgement. Each time the command
is answered, exactly once, and makes one meeting. On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sqlite3
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import func, select

from adapters.trueconf.sandbox import SandboxServer
from storage.db import build_engine
from storage.models import AcceptedCommandRow, MeetingRow
from tests.e2e.slack.support import SlackWorld, serve_settings, start_world
from tests.support.fake_slack import FakeSlack
from tests.support.processes import kill_process
from tests.support.serve import ServeProcess, wait_until, work_pids

pytestmark = pytest.mark.timeout(120)

LEASE = "2"  # seconds: a dead worker's command is taken up again this soon
WORKING = "working on accepted commands"


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (dead, not yet reaped by its parent) counts as gone.
    with contextlib.suppress(FileNotFoundError):
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    return False


def stopped_holding_no_lock(pid: int, database_url: str) -> None:
    """SIGSTOP the work process at a moment it holds no write lock. On
    SQLite, stopped inside a write (a heartbeat, a lease renewal) it would
    keep the database locked, and the acknowledgement's insert would be told
    'slow' instead of 'working on it'. Stopped so, it is let go, and stopped
    again once the lock is free."""
    if not database_url.startswith("sqlite"):
        os.kill(pid, signal.SIGSTOP)
        return
    path = database_url.partition(":///")[2]

    def free(timeout: float) -> bool:
        with contextlib.closing(sqlite3.connect(path, timeout=timeout)) as db:
            try:
                db.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError:  # "database is locked"
                return False
            db.rollback()
            return True

    def stopped_free() -> bool:
        os.kill(pid, signal.SIGSTOP)
        if free(timeout=0):
            return True
        os.kill(pid, signal.SIGCONT)
        free(timeout=1)  # waits for its write to end; then it is stopped again
        return False

    wait_until(stopped_free, timeout=30, what="the work process stopped outside a write")


def killed(pid: int, cwd: Path) -> None:
    """A work process gone, a stopped one included: a test that failed
    between SIGSTOP and its SIGKILL left it behind, stopped, for good. Only
    while it still runs in this test's folder: a pid long gone may be
    another process's by now."""
    with contextlib.suppress(FileNotFoundError, ProcessLookupError):
        if os.readlink(f"/proc/{pid}/cwd") == str(cwd):
            os.kill(pid, signal.SIGKILL)


def working(served: ServeProcess, count: int = 1) -> None:
    wait_until(
        lambda: served.log.count(WORKING) >= count,
        timeout=60,
        what=f"{count} work process(es) to be working",
    )


async def _read(url: str) -> tuple[int, int, list[str]]:
    engine = build_engine(url)
    try:
        async with engine.connect() as conn:
            meetings = await conn.scalar(
                select(func.count()).select_from(MeetingRow).where(MeetingRow.topic == "Survivor")
            )
            unfinished = await conn.scalar(
                select(func.count())
                .select_from(AcceptedCommandRow)
                .where(AcceptedCommandRow.status.in_(("accepted", "working")))
            )
            statuses = (await conn.scalars(select(AcceptedCommandRow.status))).all()
        return int(meetings or 0), int(unfinished or 0), list(statuses)
    finally:
        await engine.dispose()


def read(url: str) -> tuple[int, int, list[str]]:
    """Meetings called "Survivor", unfinished commands, every command's status."""
    return asyncio.run(_read(url))


def answered_once(world: SlackWorld, name: str, url: str) -> None:
    # A new work process starts as serve does (imports, migrations): seconds.
    [card] = world.slack.wait_for_responses(name, 1, timeout=60)
    assert card["response_type"] == "in_channel", card
    wait_until(lambda: read(url)[1] == 0, timeout=15, what="every command finished")
    meetings, _, statuses = read(url)
    assert statuses == ["done"]
    assert meetings == 1
    assert len(world.slack.responses(name)) == 1


@pytest.fixture
def env(database_url: str) -> dict[str, str]:
    return {"DATABASE_URL": database_url, "SLACK_COMMANDS_LEASE_SECONDS": LEASE}


def test_the_worker_killed_before_it_took_the_command(
    tmp_path: Path, slack: FakeSlack, sandbox: SandboxServer, env: dict[str, str]
) -> None:
    for world in start_world(tmp_path, slack, sandbox, **env):
        working(world.served)
        [first] = work_pids(world.served)
        stopped_holding_no_lock(first, env["DATABASE_URL"])  # from now on it takes nothing
        try:
            answer, _, name = world.command("now Survivor")
            assert "Working on it" in answer.text
        finally:
            killed(first, tmp_path)
        working(world.served, 2)  # serve started another
        assert len(work_pids(world.served)) == 2
        answered_once(world, name, env["DATABASE_URL"])
        assert "the work process ended (exit -9); starting another" in world.served.log


def test_the_worker_killed_in_the_middle_of_the_work(
    tmp_path: Path, slack: FakeSlack, sandbox: SandboxServer, env: dict[str, str]
) -> None:
    for world in start_world(tmp_path, slack, sandbox, **env):
        working(world.served)
        [first] = work_pids(world.served)
        sandbox.state.latency = 30.0  # the conference server holds the work
        calls = len(slack.calls("users.info"))
        answer, _, name = world.command("now Survivor")
        assert "Working on it" in answer.text
        wait_until(
            partial(more_calls, slack, "users.info", calls), timeout=10, what="the work to start"
        )
        os.kill(first, signal.SIGKILL)
        sandbox.state.latency = 0.0
        working(world.served, 2)  # serve started another
        # It takes the command up once the dead one's lease has ended.
        answered_once(world, name, env["DATABASE_URL"])


def more_calls(slack: FakeSlack, method: str, seen: int) -> bool:
    return len(slack.calls(method)) > seen


@pytest.fixture
def serving(
    tmp_path: Path,
    slack: FakeSlack,  # noqa: ARG001
    sandbox: SandboxServer,  # noqa: ARG001
    env: dict[str, str],  # noqa: ARG001
) -> Iterator[list[ServeProcess]]:
    """``serve`` processes started by the test, every one stopped after it.

    It asks for the fakes and the settings only so that pytest sets them up
    before it and tears them down after the processes are stopped."""
    started: list[ServeProcess] = []
    yield started
    for served in started:
        if served.process is not None:
            kill_process(served.process)
        for pid in work_pids(served):
            killed(pid, tmp_path)


def test_serve_killed_right_after_the_acknowledgement(
    tmp_path: Path,
    slack: FakeSlack,
    sandbox: SandboxServer,
    env: dict[str, str],
    serving: list[ServeProcess],
) -> None:
    settings = serve_settings(slack, sandbox, **env)
    first = ServeProcess(env=settings, cwd=tmp_path)
    serving.append(first)
    first.start()
    working(first)
    [worker] = work_pids(first)
    stopped_holding_no_lock(worker, env["DATABASE_URL"])  # nothing is done before serve dies
    world = SlackWorld(first, slack, sandbox)
    answer, _, name = world.command("now Survivor")
    assert "Working on it" in answer.text
    assert first.process is not None
    first.process.kill()
    first.process.wait(timeout=10)
    os.kill(worker, signal.SIGCONT)  # its parent gone, it stops (stdin closed)
    wait_until(lambda: not alive(worker), timeout=30, what="the orphaned worker to stop")

    second = ServeProcess(env=settings, cwd=tmp_path)
    serving.append(second)
    second.start()
    answered_once(SlackWorld(second, slack, sandbox), name, env["DATABASE_URL"])
    assert second.stop() == 0
