"""``meetbridge doctor`` beside a running ``serve``: PUBLIC_URL's ``/healthz``
answers with the running bridge's instance id, so doctor says it reaches this
very bridge."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.support.serve import ServeProcess, environment_without_settings, free_port

pytestmark = pytest.mark.timeout(90)

LINK_SECRET = "b" * 40


def test_doctor_follows_public_url_to_the_running_bridge(tmp_path: Path) -> None:
    port = free_port()
    env = {"PUBLIC_URL": f"http://127.0.0.1:{port}", "LINK_SECRET": LINK_SECRET}
    with ServeProcess(env=env, cwd=tmp_path, port=port) as served:
        assert httpx.get(served.url("/healthz"), timeout=5).json()["instance"]
        clean = environment_without_settings()
        result = subprocess.run(
            [sys.executable, "-m", "meetbridge", "doctor"],
            cwd=tmp_path,
            env={
                **clean,
                **env,
                "PORT": str(port),
                "TRUECONF_SERVER_URL": "sandbox",
                "TRUECONF_OWNER": "admin",
                "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'serve.db'}",
            },
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert f"ok    PUBLIC_URL: http://127.0.0.1:{port}/healthz reaches this bridge" in result.stdout
    assert result.returncode == 0, result.stdout + result.stderr


def test_doctor_shows_public_url_without_its_password(tmp_path: Path) -> None:
    closed = free_port()
    env = {
        **environment_without_settings(),
        "PUBLIC_URL": f"http://bridge:hunter2@127.0.0.1:{closed}",
        "LINK_SECRET": LINK_SECRET,
        "PORT": str(free_port()),
        "TRUECONF_SERVER_URL": "sandbox",
        "TRUECONF_OWNER": "admin",
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'doctor.db'}",
    }
    result = subprocess.run(
        [sys.executable, "-m", "meetbridge", "doctor"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    output = result.stdout + result.stderr
    assert f"PUBLIC_URL: http://***@127.0.0.1:{closed}/healthz cannot be reached" in output
    assert "hunter2" not in output
