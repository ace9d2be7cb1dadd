"""Driving ``meetbridge serve`` as Slack does: signed form posts to /slack/events."""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

from adapters.slack.actions import pressed
from adapters.trueconf.sandbox import SandboxServer
from bot.commands import meeting_ref_of
from tests.support.fake_slack import TEAM, FakeSlack, signed_headers
from tests.support.serve import ServeProcess
from tests.support.tokens import slack_token

SIGNING_SECRET = "e2e-signing-secret-0123456789abcdef"
BOT_TOKEN = slack_token()
PUBLIC_URL = "https://bridge.example.com"
LINK_SECRET = "e2e-link-secret"

_ids = itertools.count(1)


def unique(prefix: str) -> str:
    return f"{prefix}{next(_ids)}"


@dataclass
class SlackWorld:
    served: ServeProcess
    slack: FakeSlack
    sandbox: SandboxServer

    def post(
        self, body: str, *, headers: dict[str, str] | None = None, timeout: float = 10
    ) -> tuple[httpx.Response, float]:
        """One signed POST; returns the answer and how long it took."""
        headers = headers if headers is not None else signed_headers(SIGNING_SECRET, body)
        started = time.monotonic()
        answer = httpx.post(
            self.served.url("/slack/events"), content=body, headers=headers, timeout=timeout
        )
        return answer, time.monotonic() - started

    def command_body(
        self,
        text: str,
        *,
        user: str = "UCREATOR",
        channel: str = "C0GENERAL",
        response: str | None = None,
        trigger: str | None = None,
    ) -> tuple[str, str]:
        """A ``/meet`` form body and the name of its response URL."""
        name = response or unique("cmd")
        fields = {
            "token": "legacy-unused",
            "team_id": TEAM,
            "team_domain": "example",
            "channel_id": channel,
            "channel_name": "general",
            "user_id": user,
            "user_name": user.lower(),
            "command": "/meet",
            "text": text,
            "api_app_id": "A0APP",
            "response_url": self.slack.response_url(name),
            "trigger_id": trigger or unique("trigger."),
        }
        return urlencode(fields), name

    def command(self, text: str, **kwargs: Any) -> tuple[httpx.Response, float, str]:
        body, name = self.command_body(text, **kwargs)
        answer, took = self.post(body)
        return answer, took, name

    def interaction(self, payload: dict[str, Any]) -> httpx.Response:
        body = urlencode({"payload": json.dumps(payload)})
        answer, _ = self.post(body)
        return answer

    def url_verification(self, challenge: str) -> httpx.Response:
        """Slack's signed check of the Request URL: it names no team."""
        body = json.dumps({"token": "legacy", "challenge": challenge, "type": "url_verification"})
        headers = signed_headers(SIGNING_SECRET, body)
        headers["Content-Type"] = "application/json"
        answer, _ = self.post(body, headers=headers)
        return answer

    def event(self, event: dict[str, Any]) -> httpx.Response:
        body = json.dumps(
            {
                "token": "legacy-unused",
                "team_id": TEAM,
                "api_app_id": "A0APP",
                "type": "event_callback",
                "event_id": unique("Ev"),
                "event_time": int(time.time()),
                "event": event,
            }
        )
        headers = signed_headers(SIGNING_SECRET, body)
        headers["Content-Type"] = "application/json"
        answer, _ = self.post(body, headers=headers)
        return answer

    def button(
        self, action_id: str, value: str, *, user: str, channel: str = "C0GENERAL"
    ) -> tuple[httpx.Response, str]:
        name = unique("btn")
        payload = {
            "type": "block_actions",
            "team": {"id": TEAM, "domain": "example"},
            "user": {"id": user, "team_id": TEAM},
            "api_app_id": "A0APP",
            "trigger_id": unique("trigger."),
            "channel": {"id": channel, "name": "general"},
            "container": {"type": "message", "channel_id": channel, "message_ts": "1.1"},
            "response_url": self.slack.response_url(name),
            "actions": [
                {
                    "type": "button",
                    "action_id": action_id,
                    "block_id": "b",
                    "value": value,
                    "action_ts": "1.2",
                }
            ],
        }
        return self.interaction(payload), name


def strict_slack(users: list[dict[str, Any]]) -> Iterator[FakeSlack]:
    """The body of a ``slack`` fixture: the fake Slack with ``users``; once the
    tests are done, nothing the bridge sent was what Slack would refuse."""
    with FakeSlack(users=users) as fake:
        yield fake
        assert fake.refused() == []


def serve_settings(slack: FakeSlack, sandbox: SandboxServer, **env: str) -> dict[str, str]:
    """The environment of a bridge served to the fake Slack on the sandbox."""
    return {
        "TRUECONF_SERVER_URL": sandbox.base_url,
        "TRUECONF_CLIENT_ID": sandbox.client_id,
        "TRUECONF_CLIENT_SECRET": sandbox.client_secret,
        "TRUECONF_SERVER_TIMEZONE": "Europe/Moscow",
        "TRUECONF_TIMEOUT_SECONDS": "1.5",
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack.api_url,
        "PUBLIC_URL": PUBLIC_URL,
        "LINK_SECRET": LINK_SECRET,
        # A live card is posted with chat.postMessage (its ts is kept for
        # chat.update); these suites read cards from the response URL, so they
        # run without live cards. test_live_cards runs with them.
        "LIVE_POLL_SECONDS": "0",
        **env,
    }


def assert_clean_log(served: ServeProcess, sandbox: SandboxServer) -> None:
    """Whatever the tests did, the log holds no secret and no traceback."""
    log = served.log
    for secret in (BOT_TOKEN, SIGNING_SECRET, LINK_SECRET, sandbox.client_secret):
        assert secret not in log
    assert "Traceback" not in log, log


def start_world(
    tmp_path: Path, slack: FakeSlack, sandbox: SandboxServer, **env: str
) -> Iterator[SlackWorld]:
    with ServeProcess(env=serve_settings(slack, sandbox, **env), cwd=tmp_path) as served:
        yield SlackWorld(served, slack, sandbox)
    assert_clean_log(served, sandbox)


def buttons_of(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        element
        for block in blocks
        if block["type"] == "actions"
        for element in block["elements"]
        if element["type"] == "button"
    ]


def form_values(
    topic: str,
    *,
    repeat: str = "once",
    days: Sequence[str] = (),
    invitees: Sequence[str] = (),
    reminders: Sequence[str] = (),
) -> dict[str, Any]:
    """The /meet form's state as Slack sends it: on 2031-03-04 at 09:30 for
    45 minutes, in #general, with these fields."""

    def option(value: str) -> dict[str, Any]:
        return {"value": value, "text": {"type": "plain_text", "text": value}}

    return {
        "topic": {"value": {"type": "plain_text_input", "value": topic}},
        "date": {"value": {"type": "datepicker", "selected_date": "2031-03-04"}},
        "time": {"value": {"type": "timepicker", "selected_time": "09:30"}},
        "duration": {"value": {"type": "static_select", "selected_option": option("45m")}},
        "repeat": {"value": {"type": "radio_buttons", "selected_option": option(repeat)}},
        "days": {"value": {"type": "checkboxes", "selected_options": [option(d) for d in days]}},
        "invitees": {"value": {"type": "multi_users_select", "selected_users": list(invitees)}},
        "reminders": {
            "value": {
                "type": "multi_static_select",
                "selected_options": [option(r) for r in reminders],
            }
        },
        "channel": {
            "value": {"type": "conversations_select", "selected_conversation": "C0GENERAL"}
        },
    }


def form_submission(
    values: dict[str, Any],
    response: str,
    *,
    user: str,
    callback_id: str = "meet_new",
    metadata: str = json.dumps({"lang": "en", "channel": "C0GENERAL"}),
) -> dict[str, Any]:
    """A form (by default the new-meeting one) submitted by ``user``; its
    answer goes to ``response``."""
    return {
        "type": "view_submission",
        "team": {"id": TEAM, "domain": "example"},
        "user": {"id": user, "team_id": TEAM},
        "api_app_id": "A0APP",
        "trigger_id": unique("trigger."),
        "view": {
            "id": unique("V"),
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": metadata,
            "state": {"values": values},
        },
        "response_urls": [
            {
                "block_id": "channel",
                "action_id": "value",
                "channel_id": "C0GENERAL",
                "response_url": response,
            }
        ],
    }


def create_meeting(world: SlackWorld, line: str, user: str = "UCREATOR") -> tuple[str, str]:
    """Creates a meeting with ``/meet <line>``; returns its bridge number (read
    from its card's buttons) and its conference id on the sandbox."""
    before = set(world.sandbox.state.conference_ids())
    _, _, name = world.command(line, user=user)
    [card] = world.slack.wait_for_responses(name, 1)
    command = next(pressed(b) for b in buttons_of(card["blocks"]) if "value" in b)
    number = meeting_ref_of(command) if command else None
    assert number is not None
    [conference_id] = set(world.sandbox.state.conference_ids()) - before
    return number, conference_id
