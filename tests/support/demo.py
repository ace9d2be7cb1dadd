"""``meetbridge demo`` as a newcomer runs it: a script piped in, the replies
read from its output, none of the shell's bridge settings in its way."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# The settings a developer's shell may hold; the demo runs on its own defaults.
CLEARED = ("TRUECONF_", "CALLABA_", "DATABASE_", "DEFAULT_", "SLACK_", "TELEGRAM_")


def run_demo(
    tmp_path: Path, script: str, *options: str, zone: str | None = "Europe/Moscow"
) -> subprocess.CompletedProcess[str]:
    """``meetbridge demo <options>`` in ``tmp_path``; ``zone`` is DEFAULT_TIMEZONE
    (``None``: the demo's own)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(CLEARED)}
    if zone is not None:
        env["DEFAULT_TIMEZONE"] = zone
    return subprocess.run(
        [sys.executable, "-m", "meetbridge.cli", "demo", *options],
        input=script,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=80,
        check=False,
    )
