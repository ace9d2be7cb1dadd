"""Slash commands as Slack sends them: a form body and its signature."""

from __future__ import annotations

from urllib.parse import urlencode

from tests.support.fake_slack import TEAM, sign, signed_headers, slack_user
from tests.support.tokens import slack_token

SECRET = "bench-signing-secret"  # noqa: S105 (a loopback-only benchmark)
TOKEN = slack_token()
CHANNEL = "C0BENCH"
SPEAKER = "U0BENCH"

# The speaker (found as carol by e-mail) and two people to mention, all known
# to the sandbox by their e-mail addresses.
USERS = [
    slack_user(SPEAKER, "bench", email="carol@example.com", tz="Europe/Moscow"),
    slack_user("U0ALICE", "alice", email="alice@example.com", tz="Europe/Moscow"),
    slack_user("U0BOB", "bob", email="bob@example.com", tz="Europe/Moscow"),
    slack_user("U0DAVE", "dave", email="dave@example.com", tz="Europe/Moscow"),
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
