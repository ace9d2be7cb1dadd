"""Slash commands as Slack sends them: a form body and its signature."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from adapters.trueconf.sandbox.records import DEFAULT_USERS, SandboxUser
from tests.support.fake_slack import TEAM, sign, signed_headers, slack_user
from tests.support.tokens import slack_token

SECRET = "bench-signing-secret"  # noqa: S105 (a loopback-only benchmark)
TOKEN = slack_token()
CHANNEL = "C0BENCH"
SPEAKER = "U0BENCH"
# People mentioned once each (``fresh_mentions``): the bridge has never looked
# them up, so each costs TrueConf a lookup. Both fakes know them by e-mail.
FRESH_PEOPLE = 1_000


def fresh_user(n: int) -> dict[str, Any]:
    return slack_user(f"U0P{n:04d}", f"p{n:04d}", email=f"p{n:04d}@example.com", tz="Europe/Moscow")


def sandbox_users() -> tuple[SandboxUser, ...]:
    """The sandbox's own users and the fresh people."""
    fresh = (
        SandboxUser(f"p{n:04d}", f"p{n:04d}@example.com", f"P {n:04d}") for n in range(FRESH_PEOPLE)
    )
    return (*DEFAULT_USERS, *fresh)


# The load test's speakers, in turn: fresh people the bridge looks up once each.
SPEAKERS = 100


def speaker(i: int) -> str:
    """The Slack user id of the ``i``-th request's speaker in the load test."""
    return f"U0P{i % SPEAKERS:04d}"


def fresh_mentions(first: int, count: int = 2) -> str:
    """``count`` mentions of people ``first``, ``first + 1``, … (``FRESH_PEOPLE`` in all)."""
    return " ".join(f"<@U0P{n:04d}|p{n:04d}>" for n in range(first, first + count))


# The speaker (found as carol by e-mail) and two people to mention, all known
# to the sandbox by their e-mail addresses.
USERS = [
    slack_user(SPEAKER, "bench", email="carol@example.com", tz="Europe/Moscow"),
    slack_user("U0ALICE", "alice", email="alice@example.com", tz="Europe/Moscow"),
    slack_user("U0BOB", "bob", email="bob@example.com", tz="Europe/Moscow"),
    slack_user("U0DAVE", "dave", email="dave@example.com", tz="Europe/Moscow"),
    *(fresh_user(n) for n in range(FRESH_PEOPLE)),
]
MENTIONS = "<@U0ALICE|alice> <@U0BOB|bob>"

__all__ = ["CHANNEL", "SECRET", "TOKEN", "USERS", "command_body", "sign", "signed_headers"]


def command_body(
    text: str, trigger: str, response_url: str, *, user: str = SPEAKER, channel: str = CHANNEL
) -> str:
    """The form Slack posts to ``/slack/events`` for ``/meet <text>``."""
    return urlencode(
        {
            "team_id": TEAM,
            "channel_id": channel,
            "channel_name": "bench",
            "user_id": user,
            "command": "/meet",
            "text": text,
            "response_url": response_url,
            "trigger_id": trigger,
        }
    )
