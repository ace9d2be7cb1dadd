"""``meetbridge serve`` when something outside it is wrong: one clear line and
exit code 1 or 2 for what stops it from starting; a messenger it cannot reach
is tried again in the background while the service runs; a stop signal is
obeyed within SHUTDOWN_TIMEOUT_SECONDS in every state, start-up included."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.processes import kill_process, stop_process
from tests.support.serve import ServeProcess, environment_without_settings, free_port, wait_until
from tests.support.telegram_api import FakeTelegramServer
from tests.support.tokens import slack_token

pytestmark = pytest.mark.timeout(120)

SHUTDOWN = 5.0


def run_cli(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = environment_without_settings() | {
        "TRUECONF_SERVER_URL": "sandbox",
        "TRUECONF_OWNER": "admin",
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}",
        "PORT": str(free_port()),
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "meetbridge.cli", *args],
        cwd=tmp_path,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def closed_url() -> Iterator[str]:
    """An http URL on which nothing answers for the whole test: its port is
    bound here and never listens, so every connection is refused. (A port
    merely found free could be taken meanwhile by another test's server.)"""
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{held.getsockname()[1]}"


def test_an_unreachable_postgresql_is_one_line_and_exit_1(tmp_path: Path) -> None:
    url = f"postgresql+asyncpg://bridge:hunter2-password@127.0.0.1:{free_port()}/bridge"
    result = run_cli(tmp_path, "serve", DATABASE_URL=url)
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("meetbridge: cannot start: DATABASE_URL=postgresql+asyncpg://")
    assert "ConnectionRefusedError" in lines[0]
    assert "hunter2-password" not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args", [("doctor", "--json"), ("db", "history", "--json")])
def test_a_reader_that_stops_early_ends_the_command_quietly(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    # From a new user's trial: `meetbridge doctor --json | head -c 10` ended in
    # a BrokenPipeError traceback. The pipe here is closed before the command
    # writes, so every write fails (head's exit races the writes).
    assert run_cli(tmp_path, "db", "upgrade").returncode == 0
    environment = environment_without_settings() | {
        "TRUECONF_SERVER_URL": "sandbox",
        "TRUECONF_OWNER": "admin",
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "meetbridge.cli", *args],
        cwd=tmp_path,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    process.stdout.close()
    try:
        _, stderr = process.communicate(timeout=60)
    finally:
        kill_process(process)
    assert "Traceback" not in stderr
    assert "Broken pipe" not in stderr  # nor a line about it: the reader chose to stop
    assert process.returncode == 141  # as a command killed by SIGPIPE


def test_a_ca_bundle_that_is_not_pem_is_named_by_serve_and_doctor(tmp_path: Path) -> None:
    bundle = tmp_path / "ca.der"
    bundle.write_bytes(b"\x30\x82\x01\x0a" + os.urandom(64))  # DER-looking bytes, not PEM
    env = {
        "TRUECONF_SERVER_URL": "https://video.example.com",
        "TRUECONF_CLIENT_ID": "bridge",
        "TRUECONF_CLIENT_SECRET": "secret-value-1",
        "TRUECONF_CA_BUNDLE": str(bundle),
    }
    served = run_cli(tmp_path, "serve", **env)
    assert served.returncode == 2, served.stderr
    [line] = served.stderr.strip().splitlines()
    assert f"TRUECONF_CA_BUNDLE={bundle} is not a PEM file" in line
    assert "openssl x509 -inform der" in line
    doctor = run_cli(tmp_path, "doctor", **env)
    assert doctor.returncode == 1
    assert f"TRUECONF_CA_BUNDLE={bundle} is not a PEM file" in doctor.stdout
    assert "Traceback" not in served.stderr + doctor.stderr + doctor.stdout


@pytest.mark.parametrize(
    ("variable", "value", "more"),
    [
        ("TRUECONF_SERVER_URL", "https://video.example.com:99999", {}),
        ("TRUECONF_SERVER_URL", "https://video.example.com:tls", {}),
        ("TRUECONF_SERVER_URL", "https://[video.example.com", {}),
        ("CALLABA_URL", "http://callaba.example.com:70000", {"CALLABA_API_KEY": "k"}),
        (
            "TRUECONF_CHATBOT_URL",
            "https://video.example.com:99999",
            {"TRUECONF_CHATBOT_LOGIN": "meetbot", "TRUECONF_CHATBOT_PASSWORD": "pw-1"},
        ),
        # The built-in chat sandbox's people beside a real server's accounts.
        ("TRUECONF_CHATBOT_URL", "sandbox", {}),
        (
            "TRUECONF_CHATBOT_URL",
            "https://[::1",
            {"TRUECONF_CHATBOT_LOGIN": "meetbot", "TRUECONF_CHATBOT_PASSWORD": "pw-1"},
        ),
    ],
)
def test_a_bad_server_address_is_named_not_a_traceback(
    tmp_path: Path, variable: str, value: str, more: dict[str, str]
) -> None:
    env = {
        "TRUECONF_SERVER_URL": "https://video.example.com",
        "TRUECONF_CLIENT_ID": "bridge",
        "TRUECONF_CLIENT_SECRET": "secret-value-1",
        **more,
        variable: value,
    }
    for command in ("serve", "doctor"):
        result = run_cli(tmp_path, command, **env)
        output = result.stderr + result.stdout
        assert "Traceback" not in output, output
        assert result.returncode in {1, 2}, output
        assert variable in output, output
        assert "secret-value-1" not in output
        assert "pw-1" not in output


def test_a_chat_bot_url_that_is_no_url_is_refused_by_serve_and_doctor(tmp_path: Path) -> None:
    env = {
        "TRUECONF_CHATBOT_URL": "bogus",
        "TRUECONF_CHATBOT_LOGIN": "meetbot",
        "TRUECONF_CHATBOT_PASSWORD": "pw-1",
    }
    said = "TRUECONF_CHATBOT_URL='bogus' is not a server address (no scheme"
    for command in ("serve", "doctor"):
        result = run_cli(tmp_path, command, **env)
        # Refused as a setting, as a bad TRUECONF_SERVER_URL is: never tried.
        assert result.returncode == 2, result.stderr
        assert said in result.stderr
        assert "cannot reach" not in result.stdout + result.stderr


def test_socket_mode_against_an_unreachable_slack_serves_health_and_stops(
    tmp_path: Path, closed_url: str
) -> None:
    env = {
        "SLACK_BOT_TOKEN": slack_token("xoxb"),
        "SLACK_APP_TOKEN": slack_token("xapp"),
        "SLACK_API_URL": closed_url + "/api/",
        "SHUTDOWN_TIMEOUT_SECONDS": str(SHUTDOWN),
    }
    with ServeProcess(env=env, cwd=tmp_path) as served:
        assert httpx.get(served.url("/healthz"), timeout=5).status_code == 200
        wait_until(
            lambda: served.log.count("cannot reach Slack") >= 2,
            timeout=30,
            what="two attempts to reach Slack",
        )
        stopped_at = time.monotonic()
        assert served.stop(timeout=SHUTDOWN * 3) == 0, served.log
        took = time.monotonic() - stopped_at
    assert took < SHUTDOWN, f"took {took:.1f}s"
    assert "(SLACK_API_URL)" in served.log
    assert "trying again in" in served.log
    assert "Traceback" not in served.log


def test_telegram_polling_against_an_unreachable_bot_api_retries_in_the_background(
    tmp_path: Path, closed_url: str
) -> None:
    with FakeTelegramServer() as telegram:
        token = telegram.state.token
    env = {
        "TELEGRAM_BOT_TOKEN": token,
        "TELEGRAM_API_URL": closed_url,
        "TELEGRAM_ALLOWED_CHATS": "*",
        "SHUTDOWN_TIMEOUT_SECONDS": str(SHUTDOWN),
    }
    served = ServeProcess(env=env, cwd=tmp_path, extra_args=("--telegram-polling",))
    with served:
        assert httpx.get(served.url("/healthz"), timeout=5).status_code == 200
        wait_until(
            lambda: served.log.count("cannot reach the Bot API") >= 2,
            timeout=30,
            what="two attempts to reach the Bot API",
        )
        assert served.stop(timeout=SHUTDOWN * 3) == 0, served.log
    assert "(TELEGRAM_API_URL)" in served.log
    assert token not in served.log
    assert "Traceback" not in served.log


def test_sighup_stops_gracefully(tmp_path: Path) -> None:
    with ServeProcess(env={"SHUTDOWN_TIMEOUT_SECONDS": str(SHUTDOWN)}, cwd=tmp_path) as served:
        assert served.process is not None
        assert stop_process(served.process, timeout=SHUTDOWN * 3, sig=signal.SIGHUP) == 0
    assert "SIGHUP received: stopping" in served.log
    assert "Application shutdown complete" in served.log  # the components stopped in order


@pytest.fixture
def silent_database() -> Iterator[tuple[int, threading.Event]]:
    """A port that takes connections and never says a word: a database
    server that hangs. The event is set once the bridge has connected."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.2)
    connected = threading.Event()
    stop = threading.Event()
    held: list[socket.socket] = []

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            held.append(conn)
            connected.set()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1], connected
    finally:
        stop.set()
        thread.join(timeout=5)
        for conn in held:
            conn.close()
        listener.close()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_signal_during_start_up_is_obeyed_within_the_budget(
    tmp_path: Path, silent_database: tuple[int, threading.Event], sig: int
) -> None:
    port, connected = silent_database
    served = ServeProcess(
        env={
            "DATABASE_URL": f"postgresql+asyncpg://bridge@127.0.0.1:{port}/bridge",
            "SHUTDOWN_TIMEOUT_SECONDS": str(SHUTDOWN),
        },
        cwd=tmp_path,
    )
    served.launch()
    assert served.process is not None
    try:
        assert connected.wait(timeout=30), served.log  # it is migrating: the start-up
        stopped_at = time.monotonic()
        returncode = stop_process(served.process, timeout=SHUTDOWN * 3, sig=sig)
        took = time.monotonic() - stopped_at
    finally:
        kill_process(served.process)
    assert returncode == 0, served.log
    assert took < SHUTDOWN, f"took {took:.1f}s"
    assert "stopped during start-up" in served.log
    assert "Traceback" not in served.log
