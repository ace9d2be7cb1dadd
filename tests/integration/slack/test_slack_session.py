"""Every Slack call of the process goes through one kept-alive HTTP session
(``adapters.slack.session``): the fake Slack tells connections apart by the
caller's port."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from adapters.slack.client import web_client
from adapters.slack.config import SlackConfig
from adapters.slack.session import ResponseUrlRefused, SlackSession
from tests.support.fake_slack import FakeSlack, slack_user
from tests.support.tokens import slack_token

pytestmark = pytest.mark.timeout(60)

TOKEN = slack_token()


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack(users=[slack_user("U1", "ann")]) as fake:
        yield fake


async def test_replies_and_web_api_calls_share_one_connection(slack: FakeSlack) -> None:
    http = SlackSession()
    http.open()
    try:
        client = http.attach(
            web_client(SlackConfig(signing_secret=None, api_url=slack.api_url), TOKEN)
        )
        for _ in range(3):
            await client.users_info(user="U1")
        for n in range(3):
            await http.responder(slack.response_url(f"r{n}"))(text="hi", response_type="ephemeral")
    finally:
        await http.close()
    assert [p["text"] for p in slack.responses()] == ["hi", "hi", "hi"]
    ports = {c.peer for c in slack.calls("users.info")} | set(slack.state.response_peers)
    assert len(ports) == 1


async def test_without_the_session_each_call_opens_a_connection(slack: FakeSlack) -> None:
    """What the session saves: slack-sdk's default, a new connection per call."""
    client = web_client(SlackConfig(signing_secret=None, api_url=slack.api_url), TOKEN)
    for _ in range(3):
        await client.users_info(user="U1")
    assert len({c.peer for c in slack.calls("users.info")}) == 3


async def test_a_refused_reply_is_an_error_not_silence(slack: FakeSlack) -> None:
    http = SlackSession()
    http.open()
    try:
        respond = http.responder(f"{slack.base_url}/no-such-response-url")
        with pytest.raises(ResponseUrlRefused, match="404"):
            await respond(text="lost?")
    finally:
        await http.close()
    assert http.session is None
