"""Settings from the environment and ``.env``; names as in the design brief.

Secrets are ``SecretStr`` so they never show in reprs, logs or error messages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

from pydantic import Field, SecretStr, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.chat import Lang
from bot.grammar.offsets import parse_offsets
from bot.policy import BridgeAdmins
from bot.timerules import is_valid_zone

SANDBOX = "sandbox"
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./meetbridge.db"


def redact_url(url: str) -> str:
    """The URL with its password replaced by ``***`` (database URLs carry one)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    netloc = f"{parts.username or ''}:***@{host}"
    return urlunsplit(parts._replace(netloc=netloc))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)

    database_url: str = DEFAULT_DATABASE_URL
    public_url: str | None = None
    # Signs the https links under PUBLIC_URL that open the TrueConf app.
    link_secret: SecretStr | None = None
    default_timezone: str = "UTC"
    default_language: Lang = "en"
    default_duration_minutes: int = Field(default=60, ge=1, le=24 * 60)

    trueconf_server_url: str | None = None
    trueconf_client_id: str | None = None
    trueconf_client_secret: SecretStr | None = None
    trueconf_api_version: str = "v3.10"
    trueconf_ca_bundle: Path | None = None
    trueconf_owner: str | None = None
    # False: only people linked to a TrueConf account create meetings, and
    # TRUECONF_OWNER owns none.
    unlinked_may_create: bool = True
    # Who holds bot-wide powers: telegram:<user id>, slack:<team>:<user>, console.
    bridge_admins: str = ""
    trueconf_server_timezone: str = "UTC"
    trueconf_timeout_seconds: float = Field(default=10.0, gt=0, le=120)

    callaba_url: str | None = None
    callaba_token: SecretStr | None = None
    # How long before each start a Callaba room is switched on.
    callaba_activation_lead_minutes: int = Field(default=5, ge=0, le=24 * 60)
    callaba_timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    # Where people open rooms, when that differs from CALLABA_URL (the API's address).
    callaba_public_url: str | None = None
    # The server of new meetings in chats that chose none. Unset: trueconf when
    # TrueConf is configured, else callaba.
    default_backend: Literal["trueconf", "callaba"] | None = None

    # Reminders of new meetings in chats that chose none: "10m", "10m,1h" or "off".
    reminder_default_offsets: str = "10m"
    # Reminders that came due while nothing ran: "late" sends them marked late
    # while the meeting has not started (expired after); "expire" drops them.
    reminder_downtime_policy: Literal["late", "expire"] = "late"
    reminder_max_attempts: int = Field(default=5, ge=1, le=50)
    # A process holds a claimed row (and counts as alive) for the lease, and
    # renews both every REMINDER_RENEW_SECONDS while it works: a process that
    # dies has its rows taken over within one lease.
    reminder_lease_seconds: int = Field(default=15, ge=2, le=3600)
    reminder_renew_seconds: float = Field(default=5.0, gt=0, le=1800)
    reminder_sweep_seconds: float = Field(default=30.0, gt=0, le=3600)

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str | None = None
    # Multi-workspace mode (Slack's OAuth install flow) instead of SLACK_BOT_TOKEN.
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    slack_state_secret: SecretStr | None = None  # signs the OAuth state parameter
    slack_encryption_key: SecretStr | None = None  # Fernet key: tokens encrypted at rest
    # Comma-separated team ids allowed to use the bridge; empty means every workspace.
    slack_workspace_allowlist: str = ""
    # Comma-separated channel ids that may use the bridge; empty means every channel.
    slack_allowed_channels: str = ""
    # Acknowledged Slack commands worked on at once per process, and how many
    # more may wait their turn before new ones are answered "busy" at once.
    slack_commands_at_once: int = Field(default=8, ge=1, le=256)
    slack_commands_queued: int = Field(default=2000, ge=0, le=100_000)

    telegram_bot_token: SecretStr | None = None
    telegram_webhook_secret: SecretStr | None = None
    telegram_api_url: str | None = None
    # Long polling instead of the webhook (development, or no public URL).
    telegram_polling: bool = False
    # Chats that may use the bot: comma-separated chat ids, or "*". Unset: the
    # Telegram adapter refuses to start (deny by default).
    telegram_allowed_chats: str | None = None

    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=1, le=65535)
    # The largest request body any route reads; larger ones get 413 unread.
    # Slack's and Telegram's payloads are a few kilobytes.
    max_request_bytes: int = Field(default=1 << 20, ge=16 * 1024, le=64 << 20)

    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # "text": human-readable lines for a terminal; "json": one JSON object per
    # line for a log collector. Either way secrets are masked.
    log_format: Literal["text", "json"] = "text"
    # How long /readyz reuses its last answer, so probes do not hammer the servers.
    readiness_cache_seconds: float = Field(default=5.0, ge=0, le=300)
    # How long each /readyz check may take before it counts as failed.
    readiness_timeout_seconds: float = Field(default=3.0, gt=0, le=60)
    # true: /readyz also fails while a conference server or messenger API does
    # (the behaviour before dependencies were reported apart).
    readiness_strict: bool = False
    # Processed deliveries, finished reminder rows and the audit log older
    # than this are deleted, in small batches, once an hour; 0 keeps them.
    retention_days: int = Field(default=90, ge=0, le=36_500)
    # On SIGTERM: the most `serve` takes to stop accepting, finish the commands
    # and sends in flight, release its reminder leases and exit.
    shutdown_timeout_seconds: float = Field(default=20.0, gt=0, le=600)

    @field_validator("default_timezone", "trueconf_server_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        if not is_valid_zone(value):
            raise ValueError(f"{value!r} is not an IANA time zone name (e.g. Europe/Moscow)")
        return value

    @field_validator("reminder_default_offsets")
    @classmethod
    def _offsets(cls, value: str) -> str:
        parse_offsets(value)  # raises ValueError naming the bad part
        return value

    @field_validator("reminder_renew_seconds")
    @classmethod
    def _renew(cls, value: float, info: ValidationInfo) -> float:
        lease = info.data.get("reminder_lease_seconds")
        if lease is not None and value * 2 > lease:
            raise ValueError(
                f"REMINDER_RENEW_SECONDS={value:g} must be at most half of "
                f"REMINDER_LEASE_SECONDS={lease}: a lease is renewed twice before it runs out"
            )
        return value

    @property
    def reminder_defaults(self) -> tuple[timedelta, ...]:
        return parse_offsets(self.reminder_default_offsets)

    @field_validator("bridge_admins")
    @classmethod
    def _admins(cls, value: str) -> str:
        BridgeAdmins.parse(value)  # raises ValueError naming the bad entry
        return value

    @property
    def admins(self) -> BridgeAdmins:
        return BridgeAdmins.parse(self.bridge_admins)

    @field_validator("telegram_allowed_chats")
    @classmethod
    def _chat_ids(cls, value: str | None) -> str | None:
        if value is None or value.strip() in ("", "*"):
            return value.strip() if value else None
        for part in value.split(","):
            if part.strip() and not re.fullmatch(r"-?\d{1,20}", part.strip()):
                raise ValueError(f"{part.strip()!r} is not a chat id (e.g. -1001234567890) or *")
        return value

    @field_validator("trueconf_api_version")
    @classmethod
    def _api_version(cls, value: str) -> str:
        if not re.fullmatch(r"v3\.\d{1,2}", value):
            raise ValueError(f"{value!r} is not a TrueConf API version like v3.10")
        return value

    @field_validator("trueconf_server_url", "public_url", "callaba_url", "callaba_public_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is None or value == "" or value == SANDBOX:
            return value or None
        if not re.match(r"https?://[^\s/]+", value):
            raise ValueError(f"{value!r} is not an http(s) URL")
        return value.rstrip("/")

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        # DATABASE_URL is not a SecretStr (people read it in doctor's output),
        # but its password must not reach a repr or a log.
        for name, value in super().__repr_args__():
            hidden = name == "database_url" and isinstance(value, str)
            yield name, (redact_url(value) if hidden else value)

    @property
    def uses_sandbox(self) -> bool:
        return self.trueconf_server_url == SANDBOX
