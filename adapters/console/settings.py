"""The console's settings: none yet (it runs where `meetbridge demo` and
`meetbridge console` run, and is never part of serve)."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from adapters.edge import EdgeSettings


class ConsoleSettings(EdgeSettings):
    model_config = SettingsConfigDict(env_prefix="CONSOLE_")
