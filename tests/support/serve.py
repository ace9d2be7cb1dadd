"""``meetbridge serve`` as a separate process, driven over loopback HTTP.

    with ServeProcess(env={...}) as served:
        httpx.get(served.url("/healthz"))

The process gets a free port, the sandbox unless the environment says
otherwise, and no settings inherited from the developer's shell. Waiting is on
conditions with deadlines, never fixed sleeps.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from types import TracebackType
from typing import Self

import httpx
import pytest

from tests.support.processes import kill_process, stop_process

INHERITED_PREFIXES = (
    "TRUECONF_",
    "CALLABA_",
    "DATABASE_",
    "DEFAULT_",
    "SLACK_",
    "TELEGRAM_",
    "PUBLIC_",
    "HOST",
    "PORT",
    "LOG_",
    "BRIDGE_",
    "UNLINKED_",
    "REMINDER",
    "READINESS_",
    "RETENTION_",
    "SHUTDOWN_",
    "LINK_",
    "LIVE_",
    "IDLE_",
    "METRICS_",
    "WORK_",
)


def environment_without_settings() -> dict[str, str]:
    """This process's environment without the bridge settings a developer's
    shell may hold."""
    return {k: v for k, v in os.environ.items() if not k.startswith(INHERITED_PREFIXES)}


def settings_from_nowhere(monkeypatch: pytest.MonkeyPatch, directory: Path) -> None:
    """A command-line test's process: no bridge setting from the shell, no
    stray .env (the working directory is ``directory``), and its own SQLite
    file there."""
    for name in os.environ.keys() - environment_without_settings().keys():
        monkeypatch.delenv(name)
    monkeypatch.chdir(directory)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{directory / 'bridge.db'}")


_WORK_STARTED = re.compile(r"started the work process \(pid (\d+)\)")


def work_pids(served: ServeProcess) -> list[int]:
    """The work processes ``serve`` started, in order (from its log)."""
    return [int(pid) for pid in _WORK_STARTED.findall(served.log)]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until(condition: Callable[[], object], *, timeout: float, what: str) -> None:
    """Poll ``condition`` until it is truthy; fail with ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.02)


class ServeProcess:
    def __init__(
        self,
        *,
        env: Mapping[str, str],
        cwd: Path,
        extra_args: tuple[str, ...] = (),
        ready_timeout: float = 60.0,  # serve, then its work process, start
        port: int | None = None,
    ) -> None:
        self.port = port or free_port()
        self._env = environment_without_settings()
        self._env.setdefault("TRUECONF_SERVER_URL", "sandbox")
        self._env.setdefault("TRUECONF_OWNER", "admin")
        self._env.setdefault("DATABASE_URL", f"sqlite+aiosqlite:///{cwd / 'serve.db'}")
        self._env.update(env)
        self._cwd = cwd
        self._args = extra_args
        self._ready_timeout = ready_timeout
        self._log_path = cwd / f"serve-{self.port}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    @property
    def log(self) -> str:
        """Everything the process wrote to stdout and stderr so far."""
        return self._log_path.read_text(encoding="utf-8", errors="replace")

    def _healthy(self) -> bool:
        if self.process is not None and self.process.poll() is not None:
            code = self.process.returncode  # negative: killed by that signal
            raise RuntimeError(f"meetbridge serve exited early (exit code {code}):\n{self.log}")
        try:
            return httpx.get(self.url("/healthz"), timeout=1.0).status_code == 200
        except httpx.HTTPError:
            return False

    def start(self) -> None:
        self.launch()
        assert self.process is not None
        try:
            wait_until(self._healthy, timeout=self._ready_timeout, what="/healthz")
        except BaseException:
            kill_process(self.process)  # a process that never got ready is not left behind
            raise

    def launch(self) -> None:
        """Start the process without waiting for it to serve; the caller stops it."""
        command = [sys.executable, "-m", "meetbridge.cli", "serve"]
        self._env.setdefault("PORT", str(self.port))
        with self._log_path.open("wb") as log_file:
            self.process = subprocess.Popen(
                [*command, *self._args],
                cwd=self._cwd,
                env=self._env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )

    def stop(self, timeout: float = 20.0) -> int:
        """SIGTERM, then wait; returns the exit code. A process still running
        after ``timeout`` is killed, and ``TimeoutError`` says so."""
        if self.process is None:
            return 0
        return stop_process(self.process, timeout=timeout)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc is None:
            self.stop()
        elif self.process is not None:
            # The test failed already: stop the process for certain, and keep
            # the test's own error rather than one about stopping.
            with contextlib.suppress(TimeoutError):
                stop_process(self.process, timeout=10.0)
