"""``meetbridge demo`` as a newcomer runs it: a script piped in, the replies
read from its output, none of the shell's bridge settings in its way."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.support.serve import environment_without_settings


def run_demo(
    tmp_path: Path, script: str, *options: str, zone: str | None = "Europe/Moscow"
) -> subprocess.CompletedProcess[str]:
    """``meetbridge demo <options>`` in ``tmp_path``; ``zone`` is DEFAULT_TIMEZONE
    (``None``: the demo's own)."""
    env = environment_without_settings()  # the demo runs on its own defaults
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
