"""``meetbridge serve`` starts, answers /healthz, and stops cleanly on SIGTERM."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import httpx
import pytest

from tests.support.serve import ServeProcess

pytestmark = pytest.mark.timeout(60)


def test_serve_answers_healthz_and_exits_zero_on_sigterm(tmp_path: Path) -> None:
    served = ServeProcess(env={}, cwd=tmp_path)
    with served:
        answer = httpx.get(served.url("/healthz"), timeout=5.0)
        assert answer.status_code == 200
        body = answer.json()
        assert body["status"] == "ok"
        assert f"(instance {body['instance']})" in served.log
        assert httpx.get(served.url("/nowhere"), timeout=5.0).status_code == 404
    assert served.stop() == 0
    assert "Traceback" not in served.log


def test_serve_takes_its_port_from_the_environment_and_host_from_the_flag(tmp_path: Path) -> None:
    served = ServeProcess(env={}, cwd=tmp_path, extra_args=("--host", "127.0.0.1"))
    with served:
        assert httpx.get(served.url("/healthz"), timeout=5.0).status_code == 200


def test_the_version_is_in_the_start_up_line_and_the_build_info_metric(tmp_path: Path) -> None:
    env = {"MEETBRIDGE_COMMIT": "0123abcd4567"}
    with ServeProcess(env=env, cwd=tmp_path) as served:
        metrics = httpx.get(served.url("/metrics"), timeout=5.0).text
    version = importlib.metadata.version("meetbridge")
    assert f"meetbridge {version} (commit 0123abcd4567) serving on http://" in served.log
    assert f'meetbridge_build_info{{commit="0123abcd4567",version="{version}"}} 1.0' in metrics


def test_serve_logs_a_misspelled_setting_and_that_no_chat_reaches_it(tmp_path: Path) -> None:
    env = {"TRUECONF_SERVR_URL": "https://tc.example"}
    with ServeProcess(env=env, cwd=tmp_path) as served:
        assert httpx.get(served.url("/healthz"), timeout=5.0).status_code == 200
        log = served.log
    assert (
        "settings: TRUECONF_SERVR_URL is not a setting, so it is not read: "
        "did you mean TRUECONF_SERVER_URL?"
    ) in log
    assert "settings: no messenger is turned on, so no chat reaches this bridge" in log
    assert "https://tc.example" not in log
