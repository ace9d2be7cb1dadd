"""``doctor``'s TrueConf chat line: what the server says of the chat-bot
endpoint and the bot's account, asked the way the library asks."""

from __future__ import annotations

import asyncio
import re

import httpx

from adapters.edge import Configuration
from adapters.findings import Finding, unreachable
from adapters.trueconf.settings import TrueConfSettings
from adapters.trueconf_chat.config import TrueConfChatConfig, TrueConfChatSettings
from adapters.trueconf_chat.same_server import mismatch
from bot.clock import Clock
from bot.errors import ConfigError

NAME = "trueconf chat"
CHECK_SECONDS = 20.0
# python-trueconf-bot 1.5 (what the bridge pins) refuses older servers; 5.5.6
# is also where inline buttons came.
NEEDED = (5, 5, 6)
Version = tuple[int, ...]


async def check_chat(
    settings: TrueConfChatSettings, loaded: Configuration, _clock: Clock
) -> list[Finding]:
    server = loaded.settings_of(TrueConfSettings)
    try:
        config = TrueConfChatConfig.from_settings(settings, server)
    except ConfigError as exc:
        return [Finding(NAME, False, str(exc))]
    if (other := await mismatch(settings, server, config)) is not None:
        return [Finding(NAME, False, other)]
    endpoint = config.endpoint
    if endpoint is None:
        where = "TRUECONF_CHATBOT_URL" if settings.url else "TRUECONF_SERVER_URL"
        return [Finding(NAME, True, f"the built-in chat sandbox ({where}=sandbox)")]
    base = f"{'https' if endpoint.https else 'http'}://{endpoint.host}:{endpoint.port}"
    try:
        async with (
            asyncio.timeout(CHECK_SECONDS),
            httpx.AsyncClient(base_url=base, verify=config.verify(), timeout=10) as client,
        ):
            version = await _version(client)
            refused = await _refused(client, config)
    except (httpx.HTTPError, OSError, TimeoutError, ValueError) as exc:
        where = "TRUECONF_CHATBOT_URL" if settings.url else "TRUECONF_SERVER_URL"
        return [Finding(NAME, False, unreachable(exc, base, where))]
    if refused:
        return [Finding(NAME, False, refused)]
    if version is None or version < NEEDED:
        shown = ".".join(map(str, version)) if version else "of unknown version"
        needed = ".".join(map(str, NEEDED))
        detail = f"server {shown}: TrueConf chat needs TrueConf Server {needed} or later"
        return [Finding(NAME, False, detail)]
    who = "TRUECONF_CHATBOT_TOKEN" if config.token else f"the account {config.login}"
    shown = ".".join(map(str, version))
    return [Finding(NAME, True, f"server {shown} at {base}; {who} accepted")]


async def _version(client: httpx.AsyncClient) -> Version | None:
    answer = await client.get("/api/v4/server")
    answer.raise_for_status()
    product = answer.json().get("product") or {}
    numbers = re.findall(r"\d+", str(product.get("version", "")))
    return tuple(int(n) for n in numbers) if len(numbers) >= len(NEEDED) else None


async def _refused(client: httpx.AsyncClient, config: TrueConfChatConfig) -> str | None:
    """Why the bot's login is refused; ``None`` when it is accepted (a token
    is only tried on connecting)."""
    if config.token is not None or config.password is None:
        return None
    answer = await client.post(
        "/bridge/api/client/v1/oauth/token",
        json={
            "client_id": "chat_bot",
            "grant_type": "password",
            "username": config.login,
            "password": config.password.get_secret_value(),
        },
    )
    if answer.status_code in (400, 401, 403):
        return (
            f"the server refused TRUECONF_CHATBOT_LOGIN={config.login} with its password "
            f"(HTTP {answer.status_code}): check the bot's account in the control panel"
        )
    answer.raise_for_status()
    return None
