"""Telegram's settings: the ``TELEGRAM_*`` variables."""

from __future__ import annotations

import re
from typing import ClassVar

from pydantic import SecretStr, field_validator
from pydantic_settings import SettingsConfigDict

from adapters.edge import EdgeSettings
from bot.settings import ApiUrl


class TelegramSettings(EdgeSettings):
    model_config = SettingsConfigDict(env_prefix="TELEGRAM_")
    switch: ClassVar[str] = "TELEGRAM_BOT_TOKEN"
    turned_on_by: ClassVar[str] = "TELEGRAM_BOT_TOKEN (Telegram)"

    bot_token: SecretStr | None = None
    webhook_secret: SecretStr | None = None
    api_url: ApiUrl = None
    # Long polling instead of the webhook (development, or no public URL).
    polling: bool = False
    # Chats that may use the bot: comma-separated chat ids, or "*". Unset: the
    # Telegram adapter refuses to start (deny by default).
    allowed_chats: str | None = None

    @field_validator("allowed_chats")
    @classmethod
    def _chat_ids(cls, value: str | None) -> str | None:
        if value is None or value.strip() in ("", "*"):
            return value.strip() if value else None
        for part in value.split(","):
            if part.strip() and not re.fullmatch(r"-?\d{1,20}", part.strip()):
                raise ValueError(f"{part.strip()!r} is not a chat id (e.g. -1001234567890) or *")
        return value
