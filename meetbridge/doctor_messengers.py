"""``doctor``'s messenger checks: what Slack and Telegram say of the bridge's
tokens and webhook, asked the way ``serve`` asks them."""

from __future__ import annotations

import asyncio
import time

import aiohttp
from slack_sdk.errors import SlackApiError
from telegram import Bot, WebhookInfo
from telegram.error import Forbidden, InvalidToken, TelegramError
from telegram.request import HTTPXRequest

from adapters.httpclient import tls_problem
from adapters.slack.client import web_client
from adapters.slack.config import SlackConfig, slack_config
from adapters.telegram.config import DEFAULT_API_URL
from adapters.telegram.webhook import PATH as WEBHOOK_PATH
from bot.errors import ConfigError
from bot.settings import Settings
from meetbridge.checks import Check, first_line

# The most one messenger's checks may take (the clients' own timeouts are shorter).
CHECK_SECONDS = 30.0
# A webhook delivery error older than this is history, not a finding.
RECENT_ERROR_SECONDS = 3600


def _unreachable(exc: BaseException, where: str, setting: str) -> str:
    problem = tls_problem(exc, None) or first_line(exc)
    return f"cannot reach {where} ({setting}): {problem}"


async def check_slack(settings: Settings) -> list[Check]:
    try:
        config = slack_config(settings)
    except ConfigError:
        return []  # the settings check names what is missing
    if config is None:
        return []
    return [*await _slack_token(config), *await _socket_mode(config)]


async def _slack_token(config: SlackConfig) -> list[Check]:
    token = config.bot_token.get_secret_value() if config.bot_token else None
    client = web_client(config, token)
    try:
        if token is None:
            await client.api_test()
            return [
                Check(
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
            Check(
                "slack",
                False,
                f"Slack refused SLACK_BOT_TOKEN ({error or 'no reason given'}): copy the Bot "
                "User OAuth Token (xoxb-…) from the app's OAuth & Permissions page",
            )
        ]
    except (aiohttp.ClientError, TimeoutError, OSError) as exc:
        return [Check("slack", False, _unreachable(exc, config.api_url, "SLACK_API_URL"))]
    team, user = answer.get("team") or answer.get("team_id"), answer.get("user")
    return [Check("slack", True, f"auth.test accepts SLACK_BOT_TOKEN (team {team}, bot {user})")]


async def _socket_mode(config: SlackConfig) -> list[Check]:
    if config.app_token is None:
        return []
    client = web_client(config)
    try:
        # Issues a connection address nobody uses: the only way to test the token.
        await client.apps_connections_open(app_token=config.app_token.get_secret_value())
    except SlackApiError as exc:
        error = exc.response.get("error") if exc.response is not None else None
        return [
            Check(
                "slack socket mode",
                False,
                f"Slack refused SLACK_APP_TOKEN ({error or 'no reason given'}): create an "
                "app-level token (xapp-…) with connections:write under Basic Information",
            )
        ]
    except (aiohttp.ClientError, TimeoutError, OSError) as exc:
        detail = _unreachable(exc, config.api_url, "SLACK_API_URL")
        return [Check("slack socket mode", False, detail)]
    return [Check("slack socket mode", True, "apps.connections.open accepts SLACK_APP_TOKEN")]


async def check_telegram(settings: Settings) -> list[Check]:
    if settings.telegram_bot_token is None:
        return []
    api_url = (settings.telegram_api_url or DEFAULT_API_URL).rstrip("/")
    # Requests of its own, closed here: a Bot whose getMe failed would not close them.
    requests = (HTTPXRequest(), HTTPXRequest())
    bot = Bot(
        settings.telegram_bot_token.get_secret_value(),
        base_url=f"{api_url}/bot",
        base_file_url=f"{api_url}/file/bot",
        request=requests[0],
        get_updates_request=requests[1],
    )
    try:
        async with asyncio.timeout(CHECK_SECONDS):
            try:
                await bot.initialize()  # getMe
                info = await bot.get_webhook_info()
            finally:
                for request in requests:
                    await request.shutdown()
    except (InvalidToken, Forbidden):
        detail = "the Bot API refused TELEGRAM_BOT_TOKEN: copy the token @BotFather gave"
        return [Check("telegram", False, detail)]
    except (TelegramError, TimeoutError, OSError) as exc:
        return [Check("telegram", False, _unreachable(exc, api_url, "TELEGRAM_API_URL"))]
    checks = [Check("telegram", True, f"getMe accepts TELEGRAM_BOT_TOKEN (@{bot.username})")]
    checks.append(webhook_check(settings, info, time.time()))
    return checks


def webhook_check(settings: Settings, info: WebhookInfo, now: float) -> Check:
    """Where Telegram delivers the bot's updates, against where it should."""
    pending = f"{info.pending_update_count} update(s) waiting"
    if settings.telegram_polling:
        if info.url:
            return Check(
                "telegram webhook",
                True,
                f"polling; a webhook is set ({info.url}): serve removes it when it starts",
            )
        return Check("telegram webhook", True, f"polling; no webhook set; {pending}")
    if not settings.public_url:
        if info.url:
            return Check(
                "telegram webhook",
                True,
                f"registered by hand: {info.url} (PUBLIC_URL is not set); {pending}",
            )
        return Check(
            "telegram webhook",
            False,
            "no webhook and no PUBLIC_URL: Telegram has nowhere to deliver; set PUBLIC_URL "
            "(serve registers PUBLIC_URL/telegram/webhook on start) or TELEGRAM_POLLING=true",
        )
    expected = f"{settings.public_url}{WEBHOOK_PATH}"
    if not info.url:
        return Check(
            "telegram webhook", True, f"not registered yet: serve registers {expected} on start"
        )
    if info.url != expected:
        return Check(
            "telegram webhook",
            False,
            f"Telegram delivers to {info.url}, not {expected}: another deployment uses this "
            "bot, or PUBLIC_URL is wrong (serve registers PUBLIC_URL/telegram/webhook on start)",
        )
    error_at = info.last_error_date
    if error_at is not None and now - error_at.timestamp() < RECENT_ERROR_SECONDS:
        minutes = max(0, round((now - error_at.timestamp()) / 60))
        return Check(
            "telegram webhook",
            False,
            f"Telegram's last delivery to {info.url} failed {minutes} min ago "
            f"({info.last_error_message}); {pending}: check that PUBLIC_URL reaches this "
            "bridge over https with a certificate Telegram trusts",
        )
    return Check("telegram webhook", True, f"{info.url}; {pending}")
