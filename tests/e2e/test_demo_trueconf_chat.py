"""``make demo MESSENGER=trueconf``: a group chat of the sandbox's people with
the bot, in the console, the bot running through the real library."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.timeout(90)


def run_demo(tmp_path: Path, script: str) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TRUECONF_", "DATABASE_", "DEFAULT_", "SLACK_", "TELEGRAM_"))
    }
    return subprocess.run(
        [sys.executable, "-m", "meetbridge.cli", "demo", "--messenger", "trueconf_chat"],
        input=script,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=80,
        check=False,
    )


def test_the_group_gets_a_card_and_the_calendar_file(tmp_path: Path) -> None:
    script = "\n".join(
        [
            "/meet tomorrow 15:00 Design review @bob",
            "/press Add to calendar",
            "/as bob",
            "/dm",
            "/meet link bob",
            "",
        ]
    )
    result = run_demo(tmp_path, script)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "[Team] Meeting #1 scheduled" in out
    assert "[Join] [Open in TrueConf app] [Add to calendar]" in out
    assert "(file Design review.ics" in out
    assert "[bot -> Bob Baker] Nothing to link here" in out
    assert "Traceback" not in result.stderr
