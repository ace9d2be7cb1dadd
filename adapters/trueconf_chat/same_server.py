"""The chat bot and the conference server must be one TrueConf server: a
chat account is taken for the conference server's account of the same login
(chat user ``admin`` owns meetings as ``admin``), which holds only on one
server. Each server names itself in ``/api/v4/server`` (``display_name``,
the domain of its accounts, as the library reads it): the two names must be
one. Checked only when ``TRUECONF_CHATBOT_URL`` names another address than
``TRUECONF_SERVER_URL`` (the conference sandbox has no accounts to mix up)."""

from __future__ import annotations

import contextlib

import httpx

from adapters.trueconf.settings import TrueConfSettings
from adapters.trueconf_chat.config import Endpoint, TrueConfChatConfig, TrueConfChatSettings
from bot.errors import ConfigError
from bot.settings import shown_url

INFO_PATH = "/api/v4/server"
TIMEOUT_SECONDS = 10.0


async def server_name(client: httpx.AsyncClient, base: str) -> str | None:
    """The name ``base``'s ``/api/v4/server`` gives itself, lowercase; ``None``: none."""
    answer = await client.get(base.rstrip("/") + INFO_PATH)
    answer.raise_for_status()
    info = answer.json()
    product = info.get("product") if isinstance(info, dict) else None
    name = product.get("display_name") if isinstance(product, dict) else None
    return name.strip().lower() if isinstance(name, str) and name.strip() else None


async def mismatch(
    chat: TrueConfChatSettings, server: TrueConfSettings, config: TrueConfChatConfig
) -> str | None:
    """Why the chat-bot server is not the conference server; ``None``: it is
    (or there is nothing to compare)."""
    endpoint, server_url = config.endpoint, server.server_url
    if endpoint is None or not chat.url or not server_url or server.uses_sandbox:
        return None
    with contextlib.suppress(ConfigError):  # an address the endpoint cannot be: another
        if Endpoint.parse(server_url) == endpoint:
            return None  # one address: one server
    chat_base = f"{'https' if endpoint.https else 'http'}://{endpoint.host}:{endpoint.port}"
    try:
        async with httpx.AsyncClient(verify=config.verify(), timeout=TIMEOUT_SECONDS) as client:
            ours = await server_name(client, chat_base)
            theirs = await server_name(client, server_url)
    except (httpx.HTTPError, OSError, ValueError) as exc:
        return (
            f"cannot tell whether TRUECONF_CHATBOT_URL={shown_url(chat.url)} and "
            f"TRUECONF_SERVER_URL={shown_url(server_url)} are one TrueConf server "
            f"({type(exc).__name__} reading {INFO_PATH}): they must be"
        )
    if ours is None or ours != theirs:
        return (
            f"TRUECONF_CHATBOT_URL={shown_url(chat.url)} is the server {ours or '(unnamed)'} "
            f"but TRUECONF_SERVER_URL={shown_url(server_url)} is {theirs or '(unnamed)'}: "
            "a chat user would own meetings as the same login on another server; "
            "point both at one TrueConf server"
        )
    return None
