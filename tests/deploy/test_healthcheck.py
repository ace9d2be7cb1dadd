"""deploy/healthcheck.py, the image's HEALTHCHECK, against a real `meetbridge serve`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.deploy.tools import DEPLOY
from tests.support.serve import ServeProcess

pytestmark = pytest.mark.timeout(60)

SCRIPT = DEPLOY / "healthcheck.py"


def healthcheck(port: int, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PORT": str(port)}
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    )


def test_healthy_while_serving_unhealthy_on_an_error_status_and_when_stopped(
    tmp_path: Path,
) -> None:
    served = ServeProcess(env={}, cwd=tmp_path)
    with served:
        assert healthcheck(served.port).returncode == 0  # /healthz is the default
        assert healthcheck(served.port, "/healthz").returncode == 0
        missing = healthcheck(served.port, "/no-such-endpoint")
        assert missing.returncode == 1
        assert "HTTP 404" in missing.stderr
    assert served.stop() == 0
    refused = healthcheck(served.port)
    assert refused.returncode == 1
    assert f"127.0.0.1:{served.port}/healthz" in refused.stderr
