"""``meetbridge demo`` as a newcomer runs it: a script piped in, the replies
read from its output, none of the shell's bridge settings in its way."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
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


class Console:
    """The demo as a person types into it: a line, then wait for what it prints."""

    def __init__(self, tmp_path: Path) -> None:
        env = environment_without_settings()
        env.update(LIVE_POLL_SECONDS="1", REMINDER_SWEEP_SECONDS="0.5")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "meetbridge.cli", "demo"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=tmp_path,
            env=env,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def out(self) -> str:
        return "".join(self.lines)

    def type(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def wait_for(self, text: str, *, after: int = 0, timeout: float = 30) -> int:
        """Wait until ``text`` is printed past ``after``; returns where it ends."""
        deadline = time.monotonic() + timeout
        while (found := self.out.find(text, after)) < 0:
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise AssertionError(f"{text!r} never printed:\n{self.out}")
            time.sleep(0.05)
        return found + len(text)

    def close(self) -> None:
        if self.process.poll() is None:
            self.type("/quit")
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._reader.join(timeout=5)
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                pipe.close()
