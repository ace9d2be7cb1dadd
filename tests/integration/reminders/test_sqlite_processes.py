"""Two dispatcher processes on one SQLite file: every reminder goes out, and
neither process logs an error while they claim rows side by side.

A SQLite claim reads candidates and then updates them; begun deferred, the
update of the second process failed with "database is locked" (an ERROR
traceback each time) whenever the first had committed in between.
"""

from __future__ import annotations

import asyncio
import re
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.support.reminders import seed, statuses, utcnow

pytestmark = pytest.mark.timeout(90)

COUNT = 300
CANCELLED_RESET = re.compile(
    r"[^\n]*Exception during reset or similar\nTraceback \(most recent call last\):\n"
    r"(?:[ \t][^\n]*\n)+asyncio\.exceptions\.CancelledError\n?"
)
ROOT = Path(__file__).resolve().parents[3]


@contextmanager
def two_workers(url: str, tmp_path: Path) -> Iterator[list[Path]]:
    """Two dispatch workers; yields the files their stderr goes to."""
    logs = [tmp_path / f"worker-{n}.err" for n in range(2)]
    procs = []
    for n, log in enumerate(logs):
        with log.open("wb") as err:
            procs.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "tests.support.dispatch_worker",
                        url,
                        str(tmp_path / f"sent-{n}.txt"),
                        f"worker-{n}",
                        "0",
                    ],
                    cwd=ROOT,
                    stdout=subprocess.PIPE,
                    stderr=err,
                    text=True,
                )
            )
    try:
        for proc in procs:
            assert proc.stdout is not None
            assert proc.stdout.readline().strip() == "ready"
        yield logs
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in procs:
            proc.wait(timeout=20)
            if proc.stdout is not None:
                proc.stdout.close()


def deliveries(tmp_path: Path) -> Counter[str]:
    sent: Counter[str] = Counter()
    for path in tmp_path.glob("sent-*.txt"):
        sent.update(path.read_text().split())
    return sent


async def test_two_processes_share_a_sqlite_file_without_errors(
    migrated_url: str, session_factory: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    if not migrated_url.startswith("sqlite"):
        pytest.skip("two processes on one SQLite file")
    now = utcnow()
    fire = [now + timedelta(seconds=2) + timedelta(milliseconds=5 * n) for n in range(COUNT)]
    topics = await seed(session_factory, fire, now=now)
    with two_workers(migrated_url, tmp_path) as logs:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 60
        while not set(topics) <= set(await asyncio.to_thread(deliveries, tmp_path)):
            assert loop.time() < deadline, "not every reminder was delivered within 60 s"
            await asyncio.sleep(0.1)
    # Every reminder went out and is recorded as sent. (Exactly once is the
    # PostgreSQL tests' subject: with this test's 3-second lease, a process
    # kept waiting for the write lock can see its lease taken over.)
    assert set(deliveries(tmp_path)) == set(topics)
    assert await statuses(session_factory) == {"sent": COUNT}
    for log in logs:
        text = log.read_text()
        # SQLAlchemy logs a rollback that the stop (SIGTERM) cancels while a
        # connection goes back to the pool: a race at shutdown, not this test's
        # subject (claims side by side); any other traceback fails it.
        assert "Traceback" not in CANCELLED_RESET.sub("", text), text
        assert "database is locked" not in text, text
