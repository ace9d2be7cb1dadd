"""Starting and stopping ``tests.support.dispatch_worker`` processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def start_worker(
    url: str,
    out: Path,
    owner: str,
    *,
    delay: float = 0.0,
    env: Mapping[str, str] | None = None,
) -> subprocess.Popen[str]:
    """A dispatcher process; returns once it has started (said ``ready``)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.support.dispatch_worker", url, str(out), owner, str(delay)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
    except BaseException:  # a failed start, or the test's timeout: no process left behind
        proc.kill()
        proc.wait(timeout=10)
        raise
    return proc


def stop(procs: list[subprocess.Popen[str]]) -> None:
    """SIGTERM each one still running (a clean stop), and wait for all."""
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()


@contextmanager
def workers(
    url: str, tmp_path: Path, count: int, delay: float = 0.0
) -> Iterator[list[subprocess.Popen[str]]]:
    """``count`` dispatchers (``worker-<n>``, sending into ``sent-<n>.txt``),
    stopped on the way out whatever happened."""
    procs: list[subprocess.Popen[str]] = []
    try:
        # One at a time: those started before a failure are still stopped.
        procs.extend(
            start_worker(url, tmp_path / f"sent-{n}.txt", f"worker-{n}", delay=delay)
            for n in range(count)
        )
        yield procs
    finally:
        stop(procs)


def deliveries(tmp_path: Path) -> dict[str, int]:
    """How often each topic was sent, over every worker's file."""
    sent: dict[str, int] = {}
    for path in tmp_path.glob("sent-*.txt"):
        for topic in path.read_text().split():
            sent[topic] = sent.get(topic, 0) + 1
    return sent
