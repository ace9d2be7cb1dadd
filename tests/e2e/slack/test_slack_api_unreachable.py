"""A signed request while the Slack Web API cannot be reached: bolt's
authorization (``auth.test``) fails, and the answer is a 503 that asks Slack
to try again, not a 500 with a traceback in the log."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from adapters.trueconf.sandbox import SandboxServer
from tests.e2e.slack.support import SlackWorld, serve_settings
from tests.support.fake_slack import FakeSlack
from tests.support.serve import ServeProcess


@pytest.fixture
def closed_api_url() -> Iterator[str]:
    """A URL whose port is bound and never listens: every connection is refused."""
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{held.getsockname()[1]}"


def test_a_command_while_slack_is_unreachable_is_a_503_not_a_500(
    tmp_path: Path, slack: FakeSlack, sandbox: SandboxServer, closed_api_url: str
) -> None:
    env = serve_settings(slack, sandbox, SLACK_API_URL=f"{closed_api_url}/api/")
    with ServeProcess(env=env, cwd=tmp_path) as served:
        world = SlackWorld(served, slack, sandbox)
        body, _ = world.command_body("now Standup")
        # Its response URL on the same (unreachable) Slack, as the gate wants.
        answer, _ = world.post(
            body.replace(quote(slack.base_url, safe=""), quote(closed_api_url, safe=""))
        )
        assert answer.status_code == 503, answer.text
        assert "Retry-After" in answer.headers
    assert "cannot reach Slack's Web API (ClientConnectorError" in served.log, served.log
    assert "Traceback" not in served.log, served.log
