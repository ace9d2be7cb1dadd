"""Callaba's settings: the ``CALLABA_*`` variables."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import SettingsConfigDict

from adapters.edge import EdgeSettings
from bot.settings import SANDBOX, http_url, server_url


class CallabaSettings(EdgeSettings):
    model_config = SettingsConfigDict(env_prefix="CALLABA_")
    switch: ClassVar[str] = "CALLABA_URL"

    url: str | None = None
    token: SecretStr | None = None
    # How long before each start a Callaba room is switched on.
    activation_lead_minutes: int = Field(default=5, ge=0, le=24 * 60)
    timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    # Where people open rooms, when that differs from CALLABA_URL (the API's address).
    public_url: str | None = None

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        return server_url(value)

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str | None) -> str | None:
        return http_url(value)

    @property
    def uses_sandbox(self) -> bool:
        return self.url == SANDBOX
