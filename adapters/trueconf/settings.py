"""TrueConf Server's settings: the ``TRUECONF_*`` variables."""

from __future__ import annotations

import re
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import SettingsConfigDict

from adapters.edge import EdgeSettings
from bot.settings import SANDBOX, known_zone, server_url, shown_url

# The API's own path at the end of a server URL: /api, /api/v3.10.
_API_PATH = re.compile(r"/api(?:/v\d+(?:\.\d+)?)?/?$", re.IGNORECASE)


class TrueConfSettings(EdgeSettings):
    model_config = SettingsConfigDict(env_prefix="TRUECONF_")
    switch: ClassVar[str] = "TRUECONF_SERVER_URL"

    server_url: str | None = None
    client_id: str | None = None
    client_secret: SecretStr | None = None
    api_version: str = "v3.10"
    ca_bundle: Path | None = None
    # Owns the meetings of people not linked to a TrueConf account.
    owner: str | None = None
    server_timezone: str = "UTC"
    timeout_seconds: float = Field(default=10.0, gt=0, le=120)

    @field_validator("server_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        checked = server_url(value)
        if checked in (None, SANDBOX):
            return checked
        # Pasted from the API reference, every call would go to
        # /api/v3.10/api/v3.10/… and answer only "no such API method".
        api = _API_PATH.search(urlsplit(checked).path)
        if api is not None:
            address = shown_url(checked[: len(checked) - len(api[0])])
            raise ValueError(
                f"{shown_url(checked)!r}: give the server's address without the API's path "
                f"({address!r}); the bridge adds /api/<version> itself (TRUECONF_API_VERSION)"
            )
        return checked

    @field_validator("server_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        return known_zone(value)

    @field_validator("api_version")
    @classmethod
    def _api_version(cls, value: str) -> str:
        if not re.fullmatch(r"v3\.\d{1,2}", value):
            raise ValueError(f"{value!r} is not a TrueConf API version like v3.10")
        return value

    @property
    def uses_sandbox(self) -> bool:
        return self.server_url == SANDBOX
