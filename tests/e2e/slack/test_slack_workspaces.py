"""Multi-workspace mode: Slack's OAuth install flow, installations in the
bridge's database with tokens encrypted at rest, removal on uninstall and
token revocation, and the workspace allowlist."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from cryptography.fernet import Fernet

from adapters.trueconf.sandbox import SandboxServer
from tests.e2e.slack.support import (
    PUBLIC_URL,
    SIGNING_SECRET,
    SlackWorld,
    form_submission,
    form_values,
    unique,
)
from tests.support.fake_slack import TEAM, FakeSlack, slack_user
from tests.support.serve import ServeProcess, wait_until
from tests.support.tokens import slack_token

pytestmark = pytest.mark.timeout(90)

CLIENT_ID = "1111.2222"
TEAM_TOKEN = slack_token()
OUTSIDER = "T0OUTSIDER"


def _oauth_answer(team: str, token: str) -> dict[str, Any]:
    return {
        "ok": True,
        "app_id": "A0APP",
        "authed_user": {"id": "U0INSTALLER"},
        "scope": "commands,chat:write,users:read,users:read.email",
        "token_type": "bot",
        "access_token": token,
        "bot_user_id": "U0BOT",
        "team": {"id": team, "name": f"Team {team}"},
        "enterprise": None,
        "is_enterprise_install": False,
    }


def _settings(
    slack: FakeSlack, sandbox: SandboxServer, database: Path, key: str, allowlist: str
) -> dict[str, str]:
    return {
        "DATABASE_URL": f"sqlite+aiosqlite:///{database}",
        "TRUECONF_SERVER_URL": sandbox.base_url,
        "TRUECONF_CLIENT_ID": sandbox.client_id,
        "TRUECONF_CLIENT_SECRET": sandbox.client_secret,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_CLIENT_ID": CLIENT_ID,
        "SLACK_CLIENT_SECRET": "client-secret-0123",
        "SLACK_STATE_SECRET": "state-secret-0123",
        "SLACK_ENCRYPTION_KEY": key,
        "SLACK_WORKSPACE_ALLOWLIST": allowlist,
        "SLACK_API_URL": slack.api_url,
        "PUBLIC_URL": PUBLIC_URL,
    }


@pytest.fixture
def multi(tmp_path: Path) -> Iterator[tuple[SlackWorld, Path]]:
    with (
        SandboxServer(server_zone="Europe/Moscow") as sandbox,
        FakeSlack(users=[slack_user("UCREATOR", "carol", email="carol@example.com")]) as slack,
    ):
        slack.state.oauth_codes["code-ok"] = _oauth_answer(TEAM, TEAM_TOKEN)
        slack.state.oauth_codes["code-outsider"] = _oauth_answer(OUTSIDER, slack_token())
        database = tmp_path / "multi.db"
        key = Fernet.generate_key().decode()
        env = _settings(slack, sandbox, database, key, f"{TEAM}, T0SPARE")
        with ServeProcess(env=env, cwd=tmp_path) as served:
            yield SlackWorld(served, slack, sandbox), database


def _install(world: SlackWorld, code: str) -> httpx.Response:
    with httpx.Client(timeout=10) as browser:
        page = browser.get(world.served.url("/slack/install"))
        assert page.status_code == 200
        authorize = re.search(r'href="(https://slack\.com/oauth/v2/authorize\?[^"]+)"', page.text)
        assert authorize is not None
        query = parse_qs(urlsplit(authorize[1].replace("&amp;", "&")).query)
        assert query["client_id"] == [CLIENT_ID]
        assert query["redirect_uri"] == [f"{PUBLIC_URL}/slack/oauth_redirect"]
        assert "users:read.email" in query["scope"][0]
        # The browser comes back from Slack with the code, the same state and the
        # state cookie bolt set. The cookie is Secure (PUBLIC_URL is https), so
        # this plain-http loopback client hands it back by hand, as the browser
        # would over https.
        cookie = page.headers["set-cookie"].split(";", 1)[0]
        assert query["state"][0] in cookie
        return browser.get(
            world.served.url("/slack/oauth_redirect"),
            params={"code": code, "state": query["state"][0]},
            headers={"Cookie": cookie},
        )


def _rows(database: Path, table: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(database) as connection:
        return connection.execute(f"SELECT team_id, bot_token FROM {table}").fetchall()  # noqa: S608


def test_install_encrypts_the_token_and_commands_then_use_it(
    multi: tuple[SlackWorld, Path],
) -> None:
    world, database = multi
    done = _install(world, "code-ok")
    assert done.status_code == 200
    [(team, stored)] = _rows(database, "slack_bots")
    assert team == TEAM
    assert stored != TEAM_TOKEN
    assert TEAM_TOKEN not in database.read_bytes().decode("latin-1")

    _, _, name = world.command("list")
    [posted] = world.slack.wait_for_responses(name, 1)
    assert posted["response_type"] == "in_channel"
    assert {c.token for c in world.slack.calls("users.info")} == {TEAM_TOKEN}

    # Uninstalling removes the workspace's installation and bot.
    assert world.event({"type": "app_uninstalled"}).status_code == 200
    wait_until(
        lambda: _rows(database, "slack_bots") == _rows(database, "slack_installations") == [],
        timeout=15,
        what="the installation's removal",
    )


def test_tokens_revoked_removes_the_installation(multi: tuple[SlackWorld, Path]) -> None:
    world, database = multi
    assert _install(world, "code-ok").status_code == 200
    event = {"type": "tokens_revoked", "tokens": {"bot": ["U0BOT"], "oauth": []}}
    assert world.event(event).status_code == 200
    wait_until(lambda: _rows(database, "slack_bots") == [], timeout=15, what="the bot's removal")


def test_a_workspace_outside_the_allowlist_is_not_installed_nor_served(
    multi: tuple[SlackWorld, Path],
) -> None:
    world, database = multi
    refused = _install(world, "code-outsider")
    assert refused.status_code >= 400
    assert _rows(database, "slack_bots") == []
    assert _rows(database, "slack_installations") == []

    body, _ = world.command_body("now Outsider meeting")
    body = body.replace(f"team_id={TEAM}", f"team_id={OUTSIDER}")
    answer, _ = world.post(body)
    assert answer.status_code == 200
    assert "may not use" in answer.text
    assert world.sandbox.state.conference_ids() == []


def test_hostile_oauth_redirects_get_a_4xx_and_change_nothing(
    multi: tuple[SlackWorld, Path],
) -> None:
    world, database = multi
    cases = {
        "nothing": ("", {}),
        "a forged state": ("?code=code-ok&state=forged", {}),
        "a state that is not UTF-8": (
            "?code=code-ok&state=%C3%A9%ff",
            {"Cookie": "slack-app-oauth-state=%C3%A9"},
        ),
        "a state and cookie that agree but were never issued": (
            "?code=code-ok&state=a.b.c",
            {"Cookie": "slack-app-oauth-state=a.b.c"},
        ),
    }
    for case, (query, headers) in cases.items():
        answer = httpx.get(
            world.served.url("/slack/oauth_redirect" + query), headers=headers, timeout=10
        )
        assert 400 <= answer.status_code < 500, (case, answer.status_code)
    assert httpx.get(world.served.url("/healthz"), timeout=5).status_code == 200
    assert _rows(database, "slack_bots") == []  # no installation came of them


@pytest.mark.parametrize(
    "tokens",
    ["U0BOT", {"bot": "U0BOT", "oauth": 5}, {"bot": [1, None], "oauth": [{}]}],
    ids=["a string", "ids that are not lists", "lists of what are not ids"],
)
def test_tokens_revoked_without_lists_of_ids_is_a_400_and_removes_nothing(
    multi: tuple[SlackWorld, Path], tokens: Any
) -> None:
    world, database = multi
    assert _install(world, "code-ok").status_code == 200
    answer = world.event({"type": "tokens_revoked", "tokens": tokens})
    assert answer.status_code == 400, answer.text
    assert _rows(database, "slack_bots") != []


def test_a_form_installed_in_a_workspace_off_the_allowlist_is_refused(tmp_path: Path) -> None:
    """bolt picks a form's installation by ``view.app_installed_team_id``,
    not by its ``team``: a form naming an allowed team but installed in one
    that left the allowlist (its installation still stored) is refused, and
    that installation's token is never used."""
    outsider_token = slack_token()
    with (
        SandboxServer(server_zone="Europe/Moscow") as sandbox,
        FakeSlack(users=[slack_user("UCREATOR", "carol", email="carol@example.com")]) as slack,
    ):
        slack.state.oauth_codes["code-ok"] = _oauth_answer(TEAM, TEAM_TOKEN)
        slack.state.oauth_codes["code-outsider"] = _oauth_answer(OUTSIDER, outsider_token)
        database = tmp_path / "left.db"
        key = Fernet.generate_key().decode()
        # Both were allowed once and installed the app ...
        env = _settings(slack, sandbox, database, key, f"{TEAM}, {OUTSIDER}")
        with ServeProcess(env=env, cwd=tmp_path) as served:
            world = SlackWorld(served, slack, sandbox)
            assert _install(world, "code-ok").status_code == 200
            assert _install(world, "code-outsider").status_code == 200
        assert len(_rows(database, "slack_bots")) == 2
        installed = len(slack.state.calls)  # the install asked auth.test with each token
        # ... then the outsider left the allowlist.
        env = _settings(slack, sandbox, database, key, TEAM)
        with ServeProcess(env=env, cwd=tmp_path) as served:
            world = SlackWorld(served, slack, sandbox)
            name = unique("form")
            payload = form_submission(
                form_values("Outsider's form"), slack.response_url(name), user="UCREATOR"
            )
            payload["view"]["app_installed_team_id"] = OUTSIDER
            answer = world.interaction(payload)
            assert answer.status_code == 200
            assert "may not use" in answer.text
            assert slack.responses(name) == []
            assert sandbox.state.conference_ids() == []
            assert all(call.token != outsider_token for call in slack.state.calls[installed:])


def test_url_verification_is_answered_with_an_allowlist(multi: tuple[SlackWorld, Path]) -> None:
    """Slack checks the Request URL with a signed ``url_verification``, which
    names no team: the allowlist has none to check, and the challenge must
    come back for the app's events to be turned on."""
    world, _ = multi
    answer = world.url_verification("challenge-0123")
    assert answer.status_code == 200
    assert answer.json() == {"challenge": "challenge-0123"}
