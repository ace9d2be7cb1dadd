"""The Slack messenger (reminders) against a fake Web API over loopback HTTP,
through slack-sdk's real client and retry handlers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from prometheus_client.parser import text_string_to_metric_families
from slack_sdk.web.async_client import AsyncWebClient

from adapters.metrics import PrometheusMetrics
from adapters.slack.client import RATE_LIMIT_RETRIES, web_client
from adapters.slack.config import SlackConfig
from adapters.slack.messenger import SlackMessenger
from adapters.slack.render import BlockRenderer
from bot.chat import ChatRef
from bot.errors import DeliveryError
from bot.metrics import Metrics
from bot.reply import Reply, Text, Title
from tests.support.fake_slack import Failure, FakeSlack
from tests.support.tokens import slack_token

pytestmark = pytest.mark.timeout(60)

CHAT = ChatRef("slack", "T0TEAM", "C0GENERAL")
REMINDER = Reply((Title("Standup <!channel>"), Text("Starts in 10 minutes")))


BOT_TOKEN = slack_token()


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


def _messenger(
    slack: FakeSlack, *, installed: bool = True, metrics: Metrics | None = None
) -> SlackMessenger:
    config = SlackConfig(signing_secret=None, api_url=slack.api_url)
    client = web_client(config, BOT_TOKEN, metrics)

    async def client_for(team_id: str) -> AsyncWebClient | None:
        return client if installed and team_id == "T0TEAM" else None

    return SlackMessenger(client_for, BlockRenderer())


async def test_a_reminder_is_posted_with_blocks_and_the_bot_token(slack: FakeSlack) -> None:
    await _messenger(slack).send(CHAT, REMINDER)
    [call] = slack.calls("chat.postMessage")
    assert call.token == BOT_TOKEN
    assert call.params["channel"] == "C0GENERAL"
    assert "&lt;!channel&gt;" in call.params["text"]
    assert call.params["blocks"][0]["type"] == "header"


async def test_429_is_retried_after_retry_after_then_delivered(slack: FakeSlack) -> None:
    slack.fail(Failure("chat.postMessage", count=1, status=429, retry_after=0))
    await _messenger(slack).send(CHAT, REMINDER)
    assert len(slack.calls("chat.postMessage")) == 2


async def test_each_wait_slack_asks_for_is_a_rate_limiter_wait(slack: FakeSlack) -> None:
    metrics = PrometheusMetrics()
    messenger = _messenger(slack, metrics=metrics)
    await messenger.send(CHAT, REMINDER)
    assert waits(metrics) == (0, 0.0)  # no 429, nothing counted
    slack.fail(Failure("chat.postMessage", count=2, status=429, retry_after=1))
    await messenger.send(CHAT, REMINDER)
    count, seconds = waits(metrics)
    assert count == 2
    assert seconds >= 2.0  # Retry-After: 1, twice, as slack-sdk slept it


def waits(metrics: PrometheusMetrics) -> tuple[float, float]:
    seen = {
        s.name: s.value
        for family in text_string_to_metric_families(metrics.exposition().decode())
        for s in family.samples
        if s.labels.get("platform") == "slack"
    }
    return (
        seen.get("meetbridge_rate_limiter_waits_total", 0),
        seen.get("meetbridge_rate_limiter_wait_seconds_total", 0.0),
    )


async def test_lasting_429_hands_the_wait_to_the_dispatcher(slack: FakeSlack) -> None:
    slack.fail(Failure("chat.postMessage", count=10, status=429, retry_after=0))
    with pytest.raises(DeliveryError) as raised:
        await _messenger(slack).send(CHAT, REMINDER)
    assert raised.value.retry_after == 0
    assert not raised.value.permanent
    assert len(slack.calls("chat.postMessage")) == RATE_LIMIT_RETRIES + 1


@pytest.mark.parametrize(
    ("error", "permanent"),
    [("channel_not_found", True), ("not_in_channel", True), ("internal_error", False)],
)
async def test_slack_errors_say_whether_a_retry_can_help(
    slack: FakeSlack, error: str, permanent: bool
) -> None:
    slack.fail(Failure("chat.postMessage", error=error))
    with pytest.raises(DeliveryError) as raised:
        await _messenger(slack).send(CHAT, REMINDER)
    assert raised.value.permanent is permanent
    assert raised.value.reason == error


async def test_a_workspace_without_installation_is_a_permanent_failure(slack: FakeSlack) -> None:
    with pytest.raises(DeliveryError) as raised:
        await _messenger(slack, installed=False).send(CHAT, REMINDER)
    assert raised.value.permanent
    assert slack.calls("chat.postMessage") == []
