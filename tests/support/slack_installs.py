"""A Slack workspace's installation as the OAuth flow hands it to the store."""

from __future__ import annotations

from datetime import UTC, datetime

from slack_sdk.oauth.installation_store.models.installation import Installation

from tests.support.tokens import slack_token

BOT_TOKEN = slack_token()


def installation(team: str = "T0ONE", *, user_token: str | None = None) -> Installation:
    """The bot of ``team`` installed now by U0INSTALLER (with their own token if given)."""
    return Installation(
        app_id="A0APP",
        enterprise_id=None,
        team_id=team,
        team_name="Team One",
        bot_token=BOT_TOKEN,
        bot_id="B0BOT",
        bot_user_id="U0BOT",
        bot_scopes="commands,chat:write",
        user_id="U0INSTALLER",
        user_token=user_token,
        installed_at=datetime.now(UTC).timestamp(),
    )
