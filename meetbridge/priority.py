"""The work process's CPU priority: below the acknowledgements'.

A command's answer may take minutes (Slack's response URL holds for 30), its
acknowledgement has 3 seconds. On Linux the work therefore runs under
``SCHED_IDLE``: a process that wakes up (``serve`` with a request, PostgreSQL
with an answer) takes a core from the work at once, where under a nice value
the scheduler first lets the running work finish its time slice, a few
milliseconds. That wait was the acknowledgements' tail under load
(``bench.slack_ack``, side by side: p99 at 400 commands a second 13.5 ms
against 15.0–15.9 ms at nice 10). The work still has every core nothing else
wants, and a small share of a busy one (a weight of 3 against a normal
process's 1,024), enough to renew its leases: a flood of commands delays the
answers (and the reminders the work process sends), never the
acknowledgements. Where the host gives each service its own
CPU group (systemd with the CPU controller, containers, pods), the work yields
only to the processes of its own; elsewhere to every process, as nice did.

Off Linux, or where the policy is refused, the work runs at nice 10."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

WORK_NICENESS = 10
_TASKS = Path("/proc/self/task")


def lower_priority() -> str:
    """Put every thread of this process below the acknowledgements (threads
    started later inherit it); say how: ``SCHED_IDLE`` or ``nice 10``."""
    with contextlib.suppress(OSError):  # not permitted: the usual priority
        os.nice(WORK_NICENESS)
    idle = getattr(os, "SCHED_IDLE", None)
    if idle is None or not _TASKS.is_dir():
        return f"nice {WORK_NICENESS}"
    try:
        for task in _TASKS.iterdir():
            with contextlib.suppress(ProcessLookupError):  # a thread that ended meanwhile
                os.sched_setscheduler(int(task.name), idle, os.sched_param(0))
    except OSError:
        return f"nice {WORK_NICENESS}"
    return "SCHED_IDLE"
