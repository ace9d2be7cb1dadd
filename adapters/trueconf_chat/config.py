"""What the TrueConf chat adapter is configured with: its own settings
(``TRUECONF_CHATBOT_*``), read beside the core's, and where the chat-bot
endpoint is (``TRUECONF_CHATBOT_URL``, else ``TRUECONF_SERVER_URL``)."""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

from pydantic import SecretStr
from pydantic_settings import SettingsConfigDict

from adapters.edge import EdgeSettings
from adapters.trueconf.settings import TrueConfSettings
from bot.errors import ConfigError
from bot.settings import SANDBOX, shown_url

EVERY_CHAT = "*"


class TrueConfChatSettings(EdgeSettings):
    """``TRUECONF_CHATBOT_LOGIN`` and ``…_PASSWORD`` (or ``…_TOKEN``) turn the
    adapter on; ``…_URL`` when the chat-bot endpoint is not
    ``TRUECONF_SERVER_URL`` (``sandbox``: the built-in chat sandbox);
    ``…_ALLOWED_CHATS``: chat ids, comma-separated, or ``*`` (the default:
    the server's own accounts; another server's only in chats listed)."""

    model_config = SettingsConfigDict(env_prefix="TRUECONF_CHATBOT_")
    switch: ClassVar[str] = "TRUECONF_CHATBOT_LOGIN"
    turned_on_by: ClassVar[str] = (
        "TRUECONF_CHATBOT_LOGIN and TRUECONF_CHATBOT_PASSWORD (TrueConf chat)"
    )

    login: str | None = None
    password: SecretStr | None = None
    token: SecretStr | None = None
    url: str | None = None
    allowed_chats: str = EVERY_CHAT


@dataclass(frozen=True, slots=True)
class Endpoint:
    """Where the library connects: host, port, and http or https."""

    host: str
    port: int
    https: bool

    @classmethod
    def parse(cls, url: str) -> Endpoint:
        problem = _address_problem(url)
        if problem is not None:
            raise ConfigError(
                f"TRUECONF_CHATBOT_URL={shown_url(url)!r} is not a server address ({problem}): "
                "write https://video.example.com (with :port when it is not 443), or sandbox."
            )
        parts = urlsplit(url)
        https = parts.scheme == "https"
        return cls(parts.hostname or "", parts.port or (443 if https else 80), https)

    @property
    def workspace(self) -> str:
        """The server, as the chats' and people's workspace in storage."""
        return self.host


def _address_problem(url: str) -> str | None:
    """What is wrong with ``url`` as the chat-bot endpoint (its scheme, host or
    port), ``None`` when nothing is. A bare word (``bogus``) is no address:
    read as a host name it would only fail later, at the first connection."""
    if "://" not in url:
        return "no scheme: it must start with https:// or http://"
    try:  # a broken [host], a port out of range or not a number
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError as exc:
        return str(exc)
    if parts.scheme not in ("http", "https"):
        return f"the scheme {parts.scheme!r} is neither https nor http"
    if not host:
        return "no host"
    return "port 0" if port == 0 else None


@dataclass(frozen=True, slots=True)
class TrueConfChatConfig:
    endpoint: Endpoint | None  # None: the built-in sandbox, started with the adapter
    login: str
    password: SecretStr | None = field(repr=False)
    token: SecretStr | None = field(repr=False)
    ca_bundle: Path | None
    # Chat ids that may use the bot; None: every chat.
    allowed_chats: frozenset[str] | None = None

    @classmethod
    def from_settings(
        cls, chat: TrueConfChatSettings, server: TrueConfSettings
    ) -> TrueConfChatConfig:
        url, ca_bundle = chat.url or server.server_url, server.ca_bundle
        if url is None:
            raise ConfigError(
                "TRUECONF_CHATBOT_URL or TRUECONF_SERVER_URL must say where the TrueConf "
                "chat-bot API is (https://video.example.com, or sandbox)."
            )
        allowed = allowed_chats(chat.allowed_chats)
        if url == SANDBOX and server.server_url != SANDBOX:
            # Its people log in with their login for a password, from anywhere
            # on this host: as the accounts of a real conference server.
            raise ConfigError(
                "TRUECONF_CHATBOT_URL=sandbox (the built-in chat sandbox, whose people anyone "
                "on this host can sign in as) goes only with TRUECONF_SERVER_URL=sandbox: "
                "point TRUECONF_CHATBOT_URL at the TrueConf server's chat-bot API."
            )
        if url == SANDBOX:  # TRUECONF_SERVER_URL=sandbox too: the demo's chat
            return cls(None, "", None, None, None, allowed)
        if chat.password and not chat.login:
            raise ConfigError(
                "TRUECONF_CHATBOT_PASSWORD is set without TRUECONF_CHATBOT_LOGIN: name the "
                "bot's own account on the TrueConf server (e.g. meetbot)."
            )
        if not chat.token and not (chat.login and chat.password):
            raise ConfigError(
                "TRUECONF_CHATBOT_LOGIN needs TRUECONF_CHATBOT_PASSWORD (or set "
                "TRUECONF_CHATBOT_TOKEN): the bot's own account on the TrueConf server."
            )
        if ca_bundle is not None and not ca_bundle.is_file():
            raise ConfigError(f"TRUECONF_CA_BUNDLE={ca_bundle} is not a readable file.")
        return cls(
            Endpoint.parse(url), chat.login or "", chat.password, chat.token, ca_bundle, allowed
        )

    def verify(self) -> ssl.SSLContext | bool:
        """TLS is always verified: against TRUECONF_CA_BUNDLE when set."""
        if self.ca_bundle is not None:
            return ssl.create_default_context(cafile=str(self.ca_bundle))
        return True


def allowed_chats(value: str) -> frozenset[str] | None:
    if value.strip() == EVERY_CHAT:
        return None
    return frozenset(part.strip() for part in value.split(",") if part.strip())
