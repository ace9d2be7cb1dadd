"""A signed request whose response URL points anywhere but Slack is refused
400 and nothing is posted there: the bridge posts its answer to that URL
(private answers too), so a request that named another host would have the
bridge send to it (an address inside the network, or the attacker's).

Slack's response URLs are on https://hooks.slack.com; here the fake Slack
serves them on the host of SLACK_API_URL, which the bridge accepts as well."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

from tests.e2e.slack.support import SlackWorld, form_submission, form_values, unique
from tests.support.fake_slack import TEAM, FakeSlack

pytestmark = pytest.mark.timeout(90)


@pytest.fixture(scope="module")
def elsewhere() -> Iterator[FakeSlack]:
    """A server that records what is posted to it: where a forger points."""
    with FakeSlack() as server:
        yield server


def _look_alike(kind: str, world: SlackWorld, elsewhere: FakeSlack) -> str:
    """A response URL of ``kind`` that is not the fake Slack's (nor Slack's)."""
    name = unique("cmd")
    slack, other = urlsplit(world.slack.response_url(name)), urlsplit(elsewhere.base_url)
    return {
        "another port of the same host": elsewhere.response_url(name),
        "a user part before it": f"http://{slack.netloc}@{other.netloc}/response/{name}",
        "a suffix to Slack's host": f"https://hooks.slack.com.{slack.hostname}/response/{name}",
        "plain http to Slack's host": "http://hooks.slack.com/commands/T1/1/x",
        "a tab in the host": f"http://{slack.hostname}\t:{slack.port}/response/{name}",
        "no scheme": f"//{slack.netloc}/response/{name}",
    }[kind]


def _command(world: SlackWorld, url: str) -> str:
    body, _ = world.command_body("list")
    return urlencode({**dict(parse_qsl(body)), "response_url": url})


@pytest.mark.parametrize(
    "kind",
    [
        "another port of the same host",
        "a user part before it",
        "a suffix to Slack's host",
        "plain http to Slack's host",
        "a tab in the host",
        "no scheme",
    ],
)
def test_a_command_answered_elsewhere_is_refused(
    world: SlackWorld, elsewhere: FakeSlack, kind: str
) -> None:
    answer, _ = world.post(_command(world, _look_alike(kind, world, elsewhere)))
    assert answer.status_code == 400, answer.text
    assert "response_url" in answer.json()["error"]


def test_a_press_answered_elsewhere_is_refused(world: SlackWorld, elsewhere: FakeSlack) -> None:
    payload = {
        "type": "block_actions",
        "team": {"id": TEAM},
        "user": {"id": "UCREATOR"},
        "trigger_id": unique("trigger."),
        "channel": {"id": "C0GENERAL"},
        "response_url": elsewhere.response_url(unique("press")),
        "actions": [{"type": "button", "action_id": "mb_list", "value": "m2:list"}],
    }
    assert world.interaction(payload).status_code == 400


def test_a_form_answered_elsewhere_is_refused(world: SlackWorld, elsewhere: FakeSlack) -> None:
    payload = form_submission(
        form_values("elsewhere"), elsewhere.response_url(unique("form")), user="UCREATOR"
    )
    assert world.interaction(payload).status_code == 400


def test_nothing_reached_elsewhere_and_slack_still_gets_its_answers(
    world: SlackWorld, elsewhere: FakeSlack
) -> None:
    answer, _, name = world.command("list")
    assert answer.status_code == 200
    world.slack.wait_for_responses(name, 1)
    assert elsewhere.responses() == []
