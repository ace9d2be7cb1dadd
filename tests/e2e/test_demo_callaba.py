"""``meetbridge demo --backend callaba``: a piped session against the Callaba sandbox."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support.demo import run_demo

pytestmark = pytest.mark.timeout(90)


def test_demo_against_callaba(tmp_path: Path) -> None:
    script = (
        "/meet tomorrow 15:00 for 1h Design review @carol\n/meet list\n/meet backend\n/join 1\n"
    )
    result = run_demo(tmp_path, script, "--backend", "callaba")

    assert result.returncode == 0, result.stderr
    out = result.stdout
    room = re.search(r"Conference ID: ([0-9a-f]{24})", out)
    assert room, out
    assert re.search(rf"http://127\.0\.0\.1:\d+/conferences/{room.group(1)}", out), out
    assert re.search(rf"http://127\.0\.0\.1:\d+/conferences-view-mode/{room.group(1)}", out)
    assert "Invited: carol" in out
    assert "· callaba" in out
    assert "New meetings in this chat go to callaba. Servers here: trueconf, callaba." in out
    # the sandbox plays TrueConf's participants only, and says so
    assert "! Meeting 1 is on callaba: /join works for TrueConf meetings only" in out
    for absent in ("SIP", "H.323", "trueconf:", "Traceback"):
        assert absent not in out + result.stderr
