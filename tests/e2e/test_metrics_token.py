"""``serve``'s ``/metrics`` behind METRICS_TOKEN, over real HTTP: only a
scraper with the bearer token gets the metrics, the token shows in no log
line, and unset it answers as before."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.support.metrics_auth import TOKEN, assert_guarded
from tests.support.serve import ServeProcess

pytestmark = pytest.mark.timeout(90)


def test_serve_answers_metrics_to_the_bearer_of_the_token_only(tmp_path: Path) -> None:
    env = {"METRICS_TOKEN": TOKEN, "LOG_LEVEL": "DEBUG"}
    with ServeProcess(env=env, cwd=tmp_path) as served:
        assert_guarded(served.url("/metrics"))
        # The other routes ask for no token.
        assert httpx.get(served.url("/healthz"), timeout=5.0).status_code == 200
    assert served.stop() == 0
    assert TOKEN not in served.log
    assert "Traceback" not in served.log


def test_without_a_token_metrics_answer_as_before(tmp_path: Path) -> None:
    with ServeProcess(env={}, cwd=tmp_path) as served:
        answer = httpx.get(served.url("/metrics"), timeout=5.0)
        assert answer.status_code == 200
        assert "meetbridge_build_info" in answer.text
    # Loopback only: nothing to warn of.
    assert "METRICS_TOKEN" not in served.log
