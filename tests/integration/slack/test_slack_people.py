"""Slack profiles are kept for minutes (``ProfileCache``): a busy channel does
not ask ``users.info`` once per command, and a failed lookup is not kept."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from adapters.slack.client import web_client
from adapters.slack.config import SlackConfig
from adapters.slack.people import PROFILE_TTL_SECONDS, ProfileCache
from tests.support.fake_slack import Failure, FakeSlack, slack_user
from tests.support.tokens import slack_token

pytestmark = pytest.mark.timeout(60)

TOKEN = slack_token()


class Timer:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    users = [slack_user("U1", "ann", tz="Europe/Moscow", locale="ru-RU")]
    with FakeSlack(users=users) as fake:
        yield fake


async def test_a_profile_is_asked_once_until_it_is_stale(slack: FakeSlack) -> None:
    client = web_client(SlackConfig(signing_secret=None, api_url=slack.api_url), TOKEN)
    timer = Timer()
    people = ProfileCache(timer=timer)
    assert people.kept("T0TEAM", "U1") is None

    first = await people.lookup(client, "T0TEAM", "U1")
    timer.now += PROFILE_TTL_SECONDS - 1
    again = await people.lookup(client, "T0TEAM", "U1")
    assert again == first
    assert (first.zone, first.lang) == ("Europe/Moscow", "ru")
    assert people.kept("T0TEAM", "U1") == first
    assert len(slack.calls("users.info")) == 1

    timer.now += 2  # past the lifetime: asked again (a changed zone shows up)
    await people.lookup(client, "T0TEAM", "U1")
    assert len(slack.calls("users.info")) == 2


async def test_profiles_are_kept_per_workspace(slack: FakeSlack) -> None:
    client = web_client(SlackConfig(signing_secret=None, api_url=slack.api_url), TOKEN)
    people = ProfileCache()
    await people.lookup(client, "T0TEAM", "U1")
    await people.lookup(client, "T0OTHER", "U1")
    assert len(slack.calls("users.info")) == 2


async def test_a_failed_lookup_is_asked_again_next_time(slack: FakeSlack) -> None:
    client = web_client(SlackConfig(signing_secret=None, api_url=slack.api_url), TOKEN)
    people = ProfileCache()
    slack.fail(Failure("users.info", error="missing_scope"))
    bare = await people.lookup(client, "T0TEAM", "U1")
    assert (bare.user_id, bare.zone, bare.lang) == ("U1", None, None)
    assert people.kept("T0TEAM", "U1") is None
    found = await people.lookup(client, "T0TEAM", "U1")
    assert found.zone == "Europe/Moscow"
    assert len(slack.calls("users.info")) == 2


async def test_mentions_are_looked_up_once_each(slack: FakeSlack) -> None:
    client = web_client(SlackConfig(signing_secret=None, api_url=slack.api_url), TOKEN)
    people = ProfileCache()
    mentions = await people.mentions_in("now Sync <@U1|ann> <@U1> <@U0GONE>", client, "T0TEAM")
    assert [m.user_id for m in mentions] == ["U1", "U0GONE"]
    assert mentions[0].handle == "ann"
    await people.mentions_in("now Again <@U1>", client, "T0TEAM")
    asked = [c.params["user"] for c in slack.calls("users.info")]
    assert sorted(asked) == ["U0GONE", "U1"]
