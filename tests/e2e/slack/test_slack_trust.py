"""Who may use the bridge in Slack, and who links whom: SLACK_ALLOWED_CHANNELS,
workspace admins and bridge admins, over real HTTP against the fake Slack and
the TrueConf sandbox."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from adapters.trueconf.sandbox import SandboxServer
from tests.e2e.slack.support import SlackWorld, start_world
from tests.support.fake_slack import TEAM, FakeSlack

pytestmark = pytest.mark.timeout(90)

LISTED = "C0GENERAL"
UNLISTED = "C0SECRET"


@pytest.fixture(scope="module")
def trusted(
    tmp_path_factory: pytest.TempPathFactory, slack: FakeSlack, sandbox: SandboxServer
) -> Iterator[SlackWorld]:
    yield from start_world(
        tmp_path_factory.mktemp("slack-trust"),
        slack,
        sandbox,
        SLACK_ALLOWED_CHANNELS=f"{LISTED},C0OTHER",
        BRIDGE_ADMINS=f"slack:{TEAM}:UOTHER",
        # A backlog of 3: a flood from elsewhere would fill it at once.
        SLACK_COMMANDS_AT_ONCE="1",
        SLACK_COMMANDS_QUEUED="2",
    )


def answer_to(world: SlackWorld, text: str, **options: str) -> dict[str, object]:
    _, _, name = world.command(text, **options)
    [posted] = world.slack.wait_for_responses(name, 1)
    return posted


def test_a_command_in_a_channel_not_listed_does_nothing_and_tells_only_the_person(
    trusted: SlackWorld,
) -> None:
    before = set(trusted.sandbox.state.conference_ids())
    # Refused in the acknowledgement itself (only the person sees it), before
    # anything is written: nothing is posted to its response URL later.
    answer, _, refused = trusted.command("now Secret call", channel=UNLISTED)
    assert answer.status_code == 200
    # A plain-text acknowledgement: Slack shows it to the person alone.
    assert answer.headers["content-type"].startswith("text/plain")
    assert UNLISTED in answer.text
    assert "SLACK_ALLOWED_CHANNELS" in answer.text
    assert set(trusted.sandbox.state.conference_ids()) == before

    card = answer_to(trusted, "now Open call", channel=LISTED)
    assert card["response_type"] == "in_channel"
    assert len(set(trusted.sandbox.state.conference_ids()) - before) == 1
    assert trusted.slack.responses(refused) == []  # answered once, in the acknowledgement


def test_a_flood_from_a_channel_not_listed_takes_none_of_the_backlog(
    trusted: SlackWorld,
) -> None:
    """An attacker's channel may not fill the backlog (3 here) the allowed
    channels share: each of its commands is refused, none is written, and the
    next command in a listed channel is taken and answered."""
    before = set(trusted.sandbox.state.conference_ids())
    for n in range(12):
        answer, _, _ = trusted.command(f"now Flood {n}", channel=UNLISTED, user=f"UFLOOD{n % 4}")
        assert answer.status_code == 200
        assert "SLACK_ALLOWED_CHANNELS" in answer.text
    answer, _, name = trusted.command("now After the flood", channel=LISTED)
    assert "Too many commands" not in answer.text
    [card] = trusted.slack.wait_for_responses(name, 1)
    assert card["response_type"] == "in_channel"
    assert len(set(trusted.sandbox.state.conference_ids()) - before) == 1  # only its own


def test_a_button_in_a_channel_not_listed_changes_nothing(trusted: SlackWorld) -> None:
    card = answer_to(trusted, "tomorrow 09:00 Keep me", channel=LISTED)
    number = str(card["text"]).split("#", 1)[1].split()[0]
    conferences = set(trusted.sandbox.state.conference_ids())
    # A crafted press claiming another channel: the meeting is not found there,
    # and the channel is refused before that.
    _, name = trusted.button("meet_cancel", number, user="UADMIN", channel=UNLISTED)
    [posted] = trusted.slack.wait_for_responses(name, 1)
    assert posted["response_type"] == "ephemeral"
    assert "SLACK_ALLOWED_CHANNELS" in str(posted["text"])
    assert set(trusted.sandbox.state.conference_ids()) == conferences


def test_only_admins_link_other_people(trusted: SlackWorld) -> None:
    refused = answer_to(trusted, "link <@UNOMAIL|zed> carol", user="UALICE")
    assert refused["response_type"] == "ephemeral"
    assert "Only a bridge admin" in str(refused["text"])

    # A workspace admin links the people of their own workspace at once ...
    by_workspace_admin = answer_to(trusted, "link <@UNOMAIL|zed> carol", user="UADMIN")
    assert "zed is now linked to TrueConf user carol" in str(by_workspace_admin["text"])
    # ... as does a bridge admin named in BRIDGE_ADMINS.
    by_bridge_admin = answer_to(trusted, "unlink <@UNOMAIL|zed>", user="UOTHER")
    assert "link to TrueConf removed" in str(by_bridge_admin["text"])
