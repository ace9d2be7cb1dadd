"""What the Telegram adapter is configured with, read from the settings."""

from __future__ import annotations

from dataclasses import dataclass, field

from adapters.telegram.ratelimit import Limits
from adapters.telegram.settings import TelegramSettings
from bot.errors import ConfigError

DEFAULT_API_URL = "https://api.telegram.org"
EVERY_CHAT = "*"
ALLOWLIST_MISSING = (
    "TELEGRAM_ALLOWED_CHATS is not set: list the chats that may use the bot "
    "(comma-separated chat ids, e.g. -1001234567890; * for every chat). "
    "docs/deploying.md says how to find a chat's id."
)


def allowed_chats(settings: TelegramSettings) -> frozenset[int] | None:
    """The chat ids of ``TELEGRAM_ALLOWED_CHATS``; ``None`` for ``*`` (every
    chat). Unset is an error: a bot anyone can find must not serve everyone."""
    value = settings.allowed_chats
    if value is None:
        raise ConfigError(ALLOWLIST_MISSING)
    if value.strip() == EVERY_CHAT:
        return None
    return frozenset(int(part) for part in value.split(",") if part.strip())


@dataclass(frozen=True, slots=True)
class TelegramConfig:
    token: str = field(repr=False)
    api_url: str
    webhook_secret: str | None = field(repr=False)
    polling: bool
    public_url: str | None
    # Chats that may use the bot; None: every chat.
    allowed_chats: frozenset[int] | None = frozenset()
    limits: Limits = field(default_factory=Limits)
    # Long-poll wait of getUpdates; short enough to stop promptly.
    poll_timeout: int = 10

    @classmethod
    def from_settings(cls, settings: TelegramSettings, public_url: str | None) -> TelegramConfig:
        if settings.bot_token is None:
            raise ConfigError("TELEGRAM_BOT_TOKEN is not set")
        secret = settings.webhook_secret
        polling = settings.polling
        if not polling and secret is None:
            # An open webhook would let anyone post updates as any person.
            raise ConfigError(
                "TELEGRAM_WEBHOOK_SECRET is required for the Telegram webhook "
                "(or run `meetbridge serve --telegram-polling`)"
            )
        return cls(
            token=settings.bot_token.get_secret_value(),
            api_url=(settings.api_url or DEFAULT_API_URL).rstrip("/"),
            webhook_secret=secret.get_secret_value() if secret else None,
            polling=polling,
            public_url=public_url,
            allowed_chats=allowed_chats(settings),
        )

    def __repr__(self) -> str:
        return f"TelegramConfig(api_url={self.api_url!r}, polling={self.polling})"
