"""A ``meetbridge work`` run apart from ``serve`` (WORK_PROCESS=false) shows
its own counts on ``--metrics-port``, over loopback HTTP, and stops cleanly,
the listener with it."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.fake_slack import FakeSlack
from tests.support.metrics_auth import TOKEN, assert_guarded, scrape
from tests.support.processes import kill_process, stop_process
from tests.support.serve import environment_without_settings, free_port, wait_until
from tests.support.tokens import slack_token

pytestmark = pytest.mark.timeout(90)


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


def _work(
    tmp_path: Path, slack: FakeSlack, *args: str, env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    env = (
        environment_without_settings()
        | (env or {})
        | {
            "TRUECONF_SERVER_URL": "sandbox",
            "TRUECONF_OWNER": "admin",
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'work.db'}",
            "SLACK_BOT_TOKEN": slack_token(),
            "SLACK_SIGNING_SECRET": "work-metrics-signing-secret",
            "SLACK_API_URL": slack.api_url,
            "WORK_PROCESS": "false",
        }
    )
    with (tmp_path / "work.log").open("wb") as log:  # the child keeps its own copy
        return subprocess.Popen(
            [sys.executable, "-m", "meetbridge.cli", "work", *args],
            cwd=tmp_path,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def _scraped(url: str) -> str | None:
    try:
        answer = httpx.get(url, timeout=1.0)
    except httpx.HTTPError:
        return None
    return answer.text if answer.status_code == 200 else None


def test_work_apart_serves_its_metrics_on_loopback(tmp_path: Path, slack: FakeSlack) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/metrics"
    process = _work(tmp_path, slack, "--metrics-port", str(port))
    try:
        wait_until(lambda: _scraped(url) or process.poll() is not None, timeout=60, what=url)
        text = _scraped(url)
        assert text is not None, (tmp_path / "work.log").read_text()
        assert "meetbridge_build_info" in text
        assert "meetbridge_reminders_total" in text
        assert stop_process(process, timeout=30, sig=signal.SIGTERM) == 0
    finally:
        kill_process(process)
    assert _scraped(url) is None  # the listener went with the process


def test_work_apart_answers_metrics_to_the_bearer_of_the_token_only(
    tmp_path: Path, slack: FakeSlack
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/metrics"
    env = {"METRICS_TOKEN": TOKEN, "LOG_LEVEL": "DEBUG"}
    process = _work(tmp_path, slack, "--metrics-port", str(port), env=env)

    def answering() -> bool:
        try:
            scrape(url, None)
        except httpx.HTTPError:
            return process.poll() is not None
        return True

    try:
        wait_until(answering, timeout=60, what=url)
        assert process.poll() is None, (tmp_path / "work.log").read_text()
        assert_guarded(url)
        assert stop_process(process, timeout=30, sig=signal.SIGTERM) == 0
    finally:
        kill_process(process)
    log = (tmp_path / "work.log").read_text()
    assert TOKEN not in log
    assert "Traceback" not in log


@pytest.mark.parametrize("port", ["0", "-5", "65536"])
def test_a_metrics_port_out_of_range_is_a_usage_error(
    tmp_path: Path, slack: FakeSlack, port: str
) -> None:
    """0 fell back to WORK_METRICS_PORT, none at all, without a word; the
    others started the work and ended in a traceback."""
    process = _work(tmp_path, slack, f"--metrics-port={port}")
    try:
        assert process.wait(timeout=60) == 2
    finally:
        kill_process(process)
    log = (tmp_path / "work.log").read_text()
    assert "--metrics-port" in log
    assert "1 to 65535" in log
    assert "Traceback" not in log


def test_a_metrics_port_taken_is_one_line_not_a_traceback(tmp_path: Path, slack: FakeSlack) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = _work(tmp_path, slack, "--metrics-port", str(port))
        try:
            assert process.wait(timeout=60) == 1
        finally:
            kill_process(process)
    log = (tmp_path / "work.log").read_text()
    assert f"meetbridge: cannot start: cannot listen on 127.0.0.1:{port} for /metrics" in log
    assert "Traceback" not in log
