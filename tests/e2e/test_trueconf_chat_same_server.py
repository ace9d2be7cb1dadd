"""The chat-bot server and the conference server must be one TrueConf server
(a chat user owns meetings as the same login there): ``serve`` refuses two
that name themselves differently in ``/api/v4/server``, and ``doctor`` says
so, naming both variables."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from adapters.loopback import LoopbackServer
from adapters.trueconf_chat.sandbox import ChatSandboxServer
from adapters.trueconf_chat.sandbox.state import DOMAIN
from tests.support.serve import environment_without_settings, free_port
from tests.support.trueconf_chat import chat_sandbox, chatbot_env

pytestmark = pytest.mark.timeout(120)


def _server_named(name: str) -> LoopbackServer:
    """A conference server's ``/api/v4/server``, which names it (nothing else)."""

    async def info(_request: Request) -> Response:
        return JSONResponse({"product": {"version": "5.5.6.1", "display_name": name}})

    return LoopbackServer(
        lambda: Starlette(routes=[Route("/api/v4/server", info)]), name="conference server"
    )


@pytest.fixture
def chat() -> Iterator[ChatSandboxServer]:
    yield from chat_sandbox()


def _run(tmp_path: Path, command: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = environment_without_settings() | {
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}",
        "PORT": str(free_port()),
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "meetbridge.cli", command],
        env=clean,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _env(chat: ChatSandboxServer, server_url: str) -> dict[str, str]:
    return {
        "TRUECONF_SERVER_URL": server_url,
        "TRUECONF_CLIENT_ID": "bridge",
        "TRUECONF_CLIENT_SECRET": "secret-value-1",
        "TRUECONF_OWNER": "admin",
        **chatbot_env(chat),
    }


def test_a_chat_bot_on_another_server_is_refused_by_serve_and_doctor(
    chat: ChatSandboxServer, tmp_path: Path
) -> None:
    with _server_named("video.other.example") as other:
        env = _env(chat, other.base_url)
        served = _run(tmp_path, "serve", env)
        doctor = _run(tmp_path, "doctor", env)
    assert served.returncode == 2, served.stderr
    [line] = served.stderr.strip().splitlines()
    for said in (line, doctor.stdout):
        assert f"TRUECONF_CHATBOT_URL={chat.base_url}" in said, said
        assert f"TRUECONF_SERVER_URL={other.base_url}" in said, said
        assert DOMAIN in said, said
        assert "video.other.example" in said, said
    assert doctor.returncode == 1
    output = served.stderr + doctor.stdout + doctor.stderr
    assert "Traceback" not in output
    assert "secret-value-1" not in output
    assert chat.bot_password not in output


def test_doctor_passes_the_chat_bot_of_the_conference_server(
    chat: ChatSandboxServer, tmp_path: Path
) -> None:
    with _server_named(DOMAIN.upper()) as same:
        doctor = _run(tmp_path, "doctor", _env(chat, same.base_url))
    [line] = [
        row for row in doctor.stdout.splitlines() if "trueconf chat" in row and "5.5.6" in row
    ]
    assert "accepted" in line, doctor.stdout
    assert "TRUECONF_SERVER_URL" not in line
