"""Stopping a child process for certain: a signal, a deadline, then SIGKILL.

A test that starts a process owns it until it has exited: a process left
running would hold its port and database, and its warnings would fail a later,
unrelated test.
"""

from __future__ import annotations

import signal
import subprocess
from typing import Any

# How long a process that was killed may take to be reaped.
REAP_SECONDS = 10.0


def stop_process(
    process: subprocess.Popen[Any], *, timeout: float, sig: int = signal.SIGTERM
) -> int:
    """Send ``sig`` and wait up to ``timeout`` seconds; a process still running
    then is killed and reaped, and ``TimeoutError`` says so (a stop that took
    too long is a finding). Returns the exit code otherwise."""
    if process.poll() is None:
        process.send_signal(sig)
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=REAP_SECONDS)
        raise TimeoutError(
            f"process {process.pid} did not exit within {timeout}s of signal {sig}; killed"
        ) from None


def kill_process(process: subprocess.Popen[Any]) -> None:
    """Make sure ``process`` is gone (after a failure, when its exit code no longer matters)."""
    if process.poll() is None:
        process.kill()
    process.wait(timeout=REAP_SECONDS)
