"""Multi-workspace mode: Slack's OAuth install flow and the installation store."""

from __future__ import annotations

from typing import TypeVar

from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.slack.config import SlackConfig
from adapters.slack.installations import EncryptedInstallationStore, fernet_from
from adapters.slack.oauth_state import SignedStateStore
from adapters.slack.scopes import BOT_SCOPES
from bot.errors import ConfigError

T = TypeVar("T")

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"


def _required(value: T | None, name: str) -> T:
    if not value:
        raise ConfigError(f"{name} is not set (needed for the Slack install flow).")
    return value


def installation_store(config: SlackConfig, engine: AsyncEngine) -> EncryptedInstallationStore:
    return EncryptedInstallationStore(
        _required(config.client_id, "SLACK_CLIENT_ID"),
        engine,
        fernet_from(_required(config.encryption_key, "SLACK_ENCRYPTION_KEY").get_secret_value()),
        allows=config.allows,
    )


def oauth_settings(
    config: SlackConfig, store: EncryptedInstallationStore, public_url: str | None
) -> AsyncOAuthSettings:
    state_secret = _required(config.state_secret, "SLACK_STATE_SECRET").get_secret_value()
    return AsyncOAuthSettings(
        client_id=_required(config.client_id, "SLACK_CLIENT_ID"),
        client_secret=_required(config.client_secret, "SLACK_CLIENT_SECRET").get_secret_value(),
        scopes=list(BOT_SCOPES),
        user_scopes=[],
        installation_store=store,
        state_store=SignedStateStore(state_secret.encode()),
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        redirect_uri=f"{public_url}{REDIRECT_PATH}" if public_url else None,
    )
