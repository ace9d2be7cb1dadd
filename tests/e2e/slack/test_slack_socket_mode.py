"""Socket Mode (SLACK_APP_TOKEN): the bridge dials out to Slack, so it needs no
public URL; commands arrive as envelopes on a WebSocket and are acknowledged there."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from adapters.trueconf.sandbox import SandboxServer
from tests.e2e.slack.support import BOT_TOKEN
from tests.support.fake_slack import TEAM, FakeSlack, slack_user
from tests.support.fake_slack_socket import FakeSocketMode
from tests.support.serve import ServeProcess, wait_until
from tests.support.tokens import slack_token

pytestmark = pytest.mark.timeout(90)

APP_TOKEN = slack_token("xapp")


@pytest.fixture
def socket() -> Iterator[FakeSocketMode]:
    with FakeSocketMode() as fake:
        yield fake


def test_a_command_over_socket_mode_is_acknowledged_and_answered(
    tmp_path: Path, socket: FakeSocketMode
) -> None:
    with (
        SandboxServer(server_zone="Europe/Moscow") as sandbox,
        FakeSlack(users=[slack_user("UCREATOR", "carol", email="carol@example.com")]) as slack,
    ):
        slack.state.socket_url = socket.url
        env = {
            "TRUECONF_SERVER_URL": sandbox.base_url,
            "TRUECONF_CLIENT_ID": sandbox.client_id,
            "TRUECONF_CLIENT_SECRET": sandbox.client_secret,
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_APP_TOKEN": APP_TOKEN,
            "SLACK_API_URL": slack.api_url,
        }
        with ServeProcess(env=env, cwd=tmp_path) as served:
            [opened] = slack.wait_for_calls("apps.connections.open", 1)
            assert opened.token == APP_TOKEN  # the app-level token, not the bot's
            # Without a signing secret nothing can be verified over HTTP: no endpoint.
            assert httpx.post(served.url("/slack/events"), timeout=5).status_code == 404

            socket.push(
                {
                    "envelope_id": "env-1",
                    "type": "slash_commands",
                    "accepts_response_payload": True,
                    "payload": {
                        "team_id": TEAM,
                        "channel_id": "C0GENERAL",
                        "channel_name": "general",
                        "user_id": "UCREATOR",
                        "command": "/meet",
                        "text": "now Socket check",
                        "response_url": slack.response_url("socket"),
                        "trigger_id": "trigger.socket.1",
                    },
                }
            )
            wait_until(
                lambda: any(a.get("envelope_id") == "env-1" for a in socket.acks()),
                timeout=15,
                what="the envelope's acknowledgement",
            )
            # A meeting running now is a live card: posted in the channel with
            # chat.postMessage (its ts is kept for edits), not to the response URL.
            [posted] = slack.wait_for_calls("chat.postMessage", 1)
            assert posted.params["channel"] == "C0GENERAL"
            assert "Socket check" in posted.params["text"]
            assert slack.responses("socket") == []
            assert len(sandbox.state.conference_ids()) == 1
        assert served.stop() == 0
