"""``doctor``'s Telegram lines: what the Bot API says of the bridge's token and
webhook, asked the way ``serve`` asks; who may use the bot."""

from __future__ import annotations

import asyncio
import time

from telegram import Bot, WebhookInfo
from telegram.error import Forbidden, InvalidToken, TelegramError
from telegram.request import HTTPXRequest

from adapters.edge import Configuration
from adapters.findings import Finding, unreachable
from adapters.telegram.config import DEFAULT_API_URL, allowed_chats
from adapters.telegram.settings import TelegramSettings
from adapters.telegram.webhook import PATH as WEBHOOK_PATH
from bot.clock import Clock
from bot.errors import ConfigError

# The most the checks may take (the clients' own timeouts are shorter).
CHECK_SECONDS = 30.0
# A webhook delivery error older than this is history, not a finding.
RECENT_ERROR_SECONDS = 3600


def allowlist_findings(settings: TelegramSettings, _config: Configuration) -> list[Finding]:
    """Who may use the bot (deny by default)."""
    try:
        chats = allowed_chats(settings)
    except ConfigError as exc:
        return [Finding("TELEGRAM_ALLOWED_CHATS", False, str(exc))]
    detail = "every chat (*)" if chats is None else f"{len(chats)} chat(s) may use the bot"
    return [Finding("TELEGRAM_ALLOWED_CHATS", True, detail)]


async def check_telegram(
    settings: TelegramSettings, config: Configuration, _clock: Clock
) -> list[Finding]:
    if settings.bot_token is None:
        return []
    api_url = (settings.api_url or DEFAULT_API_URL).rstrip("/")
    # Requests of its own, closed here: a Bot whose getMe failed would not close them.
    requests = (HTTPXRequest(), HTTPXRequest())
    bot = Bot(
        settings.bot_token.get_secret_value(),
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
        return [Finding("telegram", False, detail)]
    except (TelegramError, TimeoutError, OSError) as exc:
        return [Finding("telegram", False, unreachable(exc, api_url, "TELEGRAM_API_URL"))]
    checks = [Finding("telegram", True, f"getMe accepts TELEGRAM_BOT_TOKEN (@{bot.username})")]
    checks.append(webhook_check(settings, config.core.public_url, info, time.time()))
    return checks


def webhook_check(
    settings: TelegramSettings, public_url: str | None, info: WebhookInfo, now: float
) -> Finding:
    """Where Telegram delivers the bot's updates, against where it should."""
    pending = f"{info.pending_update_count} update(s) waiting"
    if settings.polling:
        if info.url:
            return Finding(
                "telegram webhook",
                True,
                f"polling; a webhook is set ({info.url}): serve removes it when it starts",
            )
        return Finding("telegram webhook", True, f"polling; no webhook set; {pending}")
    if not public_url:
        if info.url:
            return Finding(
                "telegram webhook",
                True,
                f"registered by hand: {info.url} (PUBLIC_URL is not set); {pending}",
            )
        return Finding(
            "telegram webhook",
            False,
            "no webhook and no PUBLIC_URL: Telegram has nowhere to deliver; set PUBLIC_URL "
            "(serve registers PUBLIC_URL/telegram/webhook on start) or TELEGRAM_POLLING=true",
        )
    expected = f"{public_url}{WEBHOOK_PATH}"
    if not info.url:
        return Finding(
            "telegram webhook", True, f"not registered yet: serve registers {expected} on start"
        )
    if info.url != expected:
        return Finding(
            "telegram webhook",
            False,
            f"Telegram delivers to {info.url}, not {expected}: another deployment uses this "
            "bot, or PUBLIC_URL is wrong (serve registers PUBLIC_URL/telegram/webhook on start)",
        )
    error_at = info.last_error_date
    if error_at is not None and now - error_at.timestamp() < RECENT_ERROR_SECONDS:
        minutes = max(0, round((now - error_at.timestamp()) / 60))
        return Finding(
            "telegram webhook",
            False,
            f"Telegram's last delivery to {info.url} failed {minutes} min ago "
            f"({info.last_error_message}); {pending}: check that PUBLIC_URL reaches this "
            "bridge over https with a certificate Telegram trusts",
        )
    return Finding("telegram webhook", True, f"{info.url}; {pending}")
