"""``meetbridge work`` where no messenger hands it commands (Telegram's and
the TrueConf chat's are done in ``serve``; only Slack's go to a work
process): it refuses at its start, one line naming the setting, and a
status that is not success, rather than exiting 0 after a warning (a
Deployment of it restarted without end and looked healthy in between)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.processes import kill_process
from tests.support.serve import environment_without_settings
from tests.support.tokens import telegram_token

pytestmark = pytest.mark.timeout(90)

TELEGRAM = {
    "TELEGRAM_BOT_TOKEN": telegram_token(),
    "TELEGRAM_WEBHOOK_SECRET": "work-without-slack-secret",
    "TELEGRAM_ALLOWED_CHATS": "*",
    "TELEGRAM_API_URL": "http://127.0.0.1:9/",  # never asked: nothing may start
}


@pytest.mark.parametrize("messenger", [TELEGRAM, {}], ids=["telegram", "console only"])
def test_work_without_slack_refuses_in_one_line_naming_the_setting(
    tmp_path: Path, messenger: dict[str, str]
) -> None:
    database = tmp_path / "work.db"
    env = environment_without_settings() | {
        "TRUECONF_SERVER_URL": "sandbox",
        "TRUECONF_OWNER": "admin",
        "DATABASE_URL": f"sqlite+aiosqlite:///{database}",
        "WORK_PROCESS": "false",
        **messenger,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "meetbridge.cli", "work"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        out, err = process.communicate(timeout=60)
    finally:
        kill_process(process)

    lines = err.decode().splitlines()
    assert process.returncode == 2, lines
    assert out == b""
    assert len(lines) == 1, lines
    assert lines[0].startswith("meetbridge: ")
    assert "SLACK_BOT_TOKEN" in lines[0]
    assert "WORK_PROCESS" in lines[0]
    assert not database.exists()  # refused before anything started
