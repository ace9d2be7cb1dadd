"""One workspace by its bot token, no SLACK_WORKSPACE_ALLOWLIST: the token's
own team (auth.test's) is the only one served. A Slack app's signing secret
is the same in every workspace it is installed in, so a correctly signed
request may come from another of them."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.trueconf.sandbox import SandboxServer
from tests.e2e.slack.support import (
    SlackWorld,
    form_submission,
    form_values,
    start_world,
    unique,
)
from tests.support.fake_slack import TEAM, FakeSlack

pytestmark = pytest.mark.timeout(90)

ELSEWHERE = "T0ELSEWHERE"
# What a request could make the bridge write.
TABLES = ("accepted_commands", "meetings", "audit_log", "user_links", "chat_settings")


@pytest.fixture(scope="module")
def single(
    tmp_path_factory: pytest.TempPathFactory, slack: FakeSlack, sandbox: SandboxServer
) -> Iterator[tuple[SlackWorld, Path]]:
    home = tmp_path_factory.mktemp("slack-other-team")
    database = home / "single.db"
    for world in start_world(home, slack, sandbox, DATABASE_URL=f"sqlite+aiosqlite:///{database}"):
        yield world, database


def _counts(database: Path) -> dict[str, int]:
    with sqlite3.connect(database) as connection:
        return {
            table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
            for table in TABLES
        }


def test_a_signed_command_from_another_team_is_refused_and_writes_nothing(
    single: tuple[SlackWorld, Path],
) -> None:
    world, database = single
    # The token's own team is served (and bolt has asked auth.test once).
    _, _, name = world.command("now Own team call")
    [card] = world.slack.wait_for_responses(name, 1)
    assert card["response_type"] == "in_channel"
    conferences = set(world.sandbox.state.conference_ids())
    written = _counts(database)
    asked = len(world.slack.calls("auth.test"))

    body, refused = world.command_body("now Elsewhere call")
    body = body.replace(f"team_id={TEAM}", f"team_id={ELSEWHERE}")
    answer, _ = world.post(body)
    assert answer.status_code == 200
    assert "may not use" in answer.text

    assert world.slack.responses(refused) == []
    assert set(world.sandbox.state.conference_ids()) == conferences
    assert _counts(database) == written
    # The token's team came from bolt's one auth.test: no call per request.
    assert len(world.slack.calls("auth.test")) == asked


def _form_refused(world: SlackWorld, database: Path, topic: str, **fields: object) -> None:
    """A signed form with ``fields`` over its own (``view`` ones merged in):
    refused, answered nowhere, and nothing made or written."""
    conferences = set(world.sandbox.state.conference_ids())
    written = _counts(database)
    name = unique("form")
    payload = form_submission(form_values(topic), world.slack.response_url(name), user="UCREATOR")
    view = fields.pop("view", {})
    assert isinstance(view, dict)
    payload.update(fields)
    payload["view"].update(view)
    answer = world.interaction(payload)
    assert answer.status_code == 200
    assert "may not use" in answer.text
    assert world.slack.responses(name) == []
    assert set(world.sandbox.state.conference_ids()) == conferences
    assert _counts(database) == written


def test_a_form_installed_in_another_team_is_refused_though_its_team_is_ours(
    single: tuple[SlackWorld, Path],
) -> None:
    """bolt authorizes a form by ``view.app_installed_team_id``: a form
    naming this team but installed in another is that other team's."""
    world, database = single
    _form_refused(world, database, "Elsewhere form", view={"app_installed_team_id": ELSEWHERE})


def test_a_form_whose_team_id_and_team_disagree_is_refused(
    single: tuple[SlackWorld, Path],
) -> None:
    """The listeners read a form's and a press's team from ``team.id``: a
    request whose ``team_id`` (and the team bolt authorizes, its view's
    ``app_installed_team_id``) is ours but whose ``team`` is another names
    that other team too."""
    world, database = single
    _form_refused(
        world,
        database,
        "Two teams form",
        team_id=TEAM,
        team={"id": ELSEWHERE, "domain": "elsewhere"},
        view={"app_installed_team_id": TEAM},
    )


def test_url_verification_is_answered_with_one_token(single: tuple[SlackWorld, Path]) -> None:
    """It names no team; the own-team check must not keep Slack's check of
    the Request URL from its challenge."""
    world, _ = single
    answer = world.url_verification("challenge-4567")
    assert answer.status_code == 200
    assert answer.json() == {"challenge": "challenge-4567"}
