"""The work process's priority, set in a process of its own (it cannot be
undone): every thread it has, and every thread it starts after, runs under
SCHED_IDLE."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="SCHED_IDLE is Linux's")

PROGRAM = """
import json, os, threading
from meetbridge.priority import lower_priority

stop = threading.Event()
before = threading.Thread(target=stop.wait)
before.start()
said = lower_priority()
after = threading.Thread(target=stop.wait)
after.start()
policies = {
    name: os.sched_getscheduler(thread.native_id)
    for name, thread in (("main", threading.main_thread()), ("before", before), ("after", after))
}
stop.set()
print(json.dumps({"said": said, "policies": policies, "nice": os.getpriority(os.PRIO_PROCESS, 0)}))
"""


def test_every_thread_of_the_work_runs_under_sched_idle() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM], capture_output=True, text=True, check=True, timeout=60
    )
    result = json.loads(done.stdout)
    assert result["said"] == "SCHED_IDLE"
    idle = os.SCHED_IDLE
    assert result["policies"] == {"main": idle, "before": idle, "after": idle}
    # Niced too, for a kernel or container that takes the policy away.
    assert result["nice"] >= 10
