"""Slack's settings: the ``SLACK_*`` variables."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from adapters.edge import EdgeSettings
from bot.settings import ApiUrl


class SlackSettings(EdgeSettings):
    model_config = SettingsConfigDict(env_prefix="SLACK_")
    switch: ClassVar[str] = "SLACK_BOT_TOKEN"
    turned_on_by: ClassVar[str] = "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (Slack)"

    bot_token: SecretStr | None = None
    signing_secret: SecretStr | None = None
    app_token: SecretStr | None = None
    api_url: ApiUrl = None
    # Multi-workspace mode (Slack's OAuth install flow) instead of SLACK_BOT_TOKEN.
    client_id: str | None = None
    client_secret: SecretStr | None = None
    state_secret: SecretStr | None = None  # signs the OAuth state parameter
    encryption_key: SecretStr | None = None  # Fernet key: tokens encrypted at rest
    # Comma-separated team ids allowed to use the bridge (or *); the OAuth
    # install requires it.
    workspace_allowlist: str = ""
    # Comma-separated channel ids that may use the bridge; empty means every channel.
    allowed_channels: str = ""
    # Accepted Slack commands worked on at once per work process, and how many
    # more may wait their turn before new ones are answered "busy" at once.
    commands_at_once: int = Field(default=8, ge=1, le=256)
    commands_queued: int = Field(default=2000, ge=0, le=100_000)
    # How long a work process holds a command it claimed: a command whose
    # worker died is taken up again this long after it was claimed.
    commands_lease_seconds: int = Field(default=120, ge=1, le=3600)

    @property
    def configured(self) -> bool:
        """Any of the ways Slack is turned on; a half-done one is an error later."""
        oauth = self.client_id or self.client_secret
        return bool(self.bot_token or oauth or self.app_token)
