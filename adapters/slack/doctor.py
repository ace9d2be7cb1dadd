"""``doctor``'s Slack lines: what Slack says of the bridge's tokens, asked the
way ``serve`` asks."""

from __future__ import annotations

import aiohttp
from slack_sdk.errors import SlackApiError

from adapters.edge import Configuration
from adapters.findings import Finding, unreachable
from adapters.slack.client import web_client
from adapters.slack.config import SlackConfig, slack_config
from adapters.slack.settings import SlackSettings
from bot.clock import Clock
from bot.errors import ConfigError


async def check_slack(
    settings: SlackSettings, _config: Configuration, _clock: Clock
) -> list[Finding]:
    try:
        config = slack_config(settings)
    except ConfigError:
        return []  # the settings check names what is missing
    if config is None:
        return []
    return [*await _slack_token(config), *await _socket_mode(config)]


async def _slack_token(config: SlackConfig) -> list[Finding]:
    token = config.bot_token.get_secret_value() if config.bot_token else None
    client = web_client(config, token)
    try:
        if token is None:
            await client.api_test()
            return [
                Finding(
                    "slack",
                    True,
                    f"{config.api_url}: api.test answered (many workspaces: each "
                    "workspace's token is checked when it is used)",
                )
            ]
        answer = await client.auth_test()
    except SlackApiError as exc:
        error = exc.response.get("error") if exc.response is not None else None
        return [
            Finding(
                "slack",
                False,
                f"Slack refused SLACK_BOT_TOKEN ({error or 'no reason given'}): copy the Bot "
                "User OAuth Token (xoxb-…) from the app's OAuth & Permissions page",
            )
        ]
    except (aiohttp.ClientError, TimeoutError, OSError) as exc:
        return [Finding("slack", False, unreachable(exc, config.api_url, "SLACK_API_URL"))]
    team, user = answer.get("team") or answer.get("team_id"), answer.get("user")
    return [Finding("slack", True, f"auth.test accepts SLACK_BOT_TOKEN (team {team}, bot {user})")]


async def _socket_mode(config: SlackConfig) -> list[Finding]:
    if config.app_token is None:
        return []
    client = web_client(config)
    try:
        # Issues a connection address nobody uses: the only way to test the token.
        await client.apps_connections_open(app_token=config.app_token.get_secret_value())
    except SlackApiError as exc:
        error = exc.response.get("error") if exc.response is not None else None
        return [
            Finding(
                "slack socket mode",
                False,
                f"Slack refused SLACK_APP_TOKEN ({error or 'no reason given'}): create an "
                "app-level token (xapp-…) with connections:write under Basic Information",
            )
        ]
    except (aiohttp.ClientError, TimeoutError, OSError) as exc:
        detail = unreachable(exc, config.api_url, "SLACK_API_URL")
        return [Finding("slack socket mode", False, detail)]
    return [Finding("slack socket mode", True, "apps.connections.open accepts SLACK_APP_TOKEN")]
