"""``serve``'s work process in ``/readyz``: ready while it works, not while it
is dead or crash-looping (``serve`` would acknowledge commands that nobody
here answers), ready again once a restarted one works. Real child processes,
stand-ins for ``meetbridge work`` that say they work, or die at once."""

from __future__ import annotations

import os
import re
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from adapters.http.readiness import Check, Readiness
from meetbridge.work_child import WorkChild
from tests.support.waiting import until_async

pytestmark = pytest.mark.timeout(60)

# A stand-in child: "works" says so on its ready descriptor and runs until its
# parent goes (stdin closes); "crashes" exits at once with 3.
CHILD = """
import os, sys
fd = int(sys.argv[sys.argv.index("--ready-fd") + 1])
if sys.argv[1] == "crashes":
    sys.exit(3)
os.write(fd, b"working\\n")
os.close(fd)
sys.stdin.read()
"""


@pytest.fixture
def script(tmp_path: Path) -> Path:
    path = tmp_path / "child.py"
    path.write_text(CHILD)
    return path


@pytest.fixture
async def working(script: Path) -> AsyncIterator[WorkChild]:
    child = WorkChild([sys.executable, str(script), "works"])
    await child.start()
    try:
        yield child
    finally:
        await child.stop()


async def test_a_working_child_is_ready(working: WorkChild) -> None:
    result = await working.check()
    assert result.ok, result.detail
    assert result.detail == f"working (pid {working.pid})"


async def test_a_killed_child_is_not_ready_until_its_successor_works(working: WorkChild) -> None:
    first = working.pid
    assert first is not None
    os.kill(first, signal.SIGKILL)

    async def down() -> bool:
        return not (await working.check()).ok

    await until_async(down, within=10, what="the dead child to be reported")
    result = await working.check()
    assert result.detail.startswith("not working: it ended 1 time(s), last with exit -9")

    async def back() -> bool:
        return (await working.check()).ok

    await until_async(back, within=20, what="its successor to work")
    assert working.pid != first


async def test_a_crash_looping_child_keeps_readiness_failing(script: Path) -> None:
    child = WorkChild([sys.executable, str(script), "crashes"])
    readiness = Readiness([Check(child.name, child.check)], cache_seconds=0)
    await child.start()
    try:
        assert not (await child.check()).ok

        async def ended_twice() -> bool:
            return "ended 2 time(s)" in (await child.check()).detail

        await until_async(ended_twice, within=20, what="two ends")
        answer = await readiness.answer()
        assert answer["status"] == "failing"
        detail = answer["checks"]["work-process"]["detail"]
        # Two or more: it may have ended once more meanwhile.
        assert re.fullmatch(
            r"not working: it ended \d+ time\(s\), last with exit 3; starting it again", detail
        ), detail
    finally:
        await child.stop()
