"""The built conference servers of an app, typed, for tests that reach into
them (the sandbox's state, the client)."""

from __future__ import annotations

from pathlib import Path

from adapters.callaba.setup import CallabaEndpoint
from adapters.trueconf.backend import TrueConfBackend
from adapters.trueconf.setup import TrueConfEndpoint
from meetbridge.compose import App
from meetbridge.config import Config, load_config
from tests.support.telegram_api import FakeTelegramServer


def trueconf_of(app: App) -> tuple[TrueConfBackend, TrueConfEndpoint]:
    built = app.backends.built["trueconf"]
    assert isinstance(built.backend, TrueConfBackend)
    assert isinstance(built.endpoint, TrueConfEndpoint)
    return built.backend, built.endpoint


def callaba_endpoint_of(app: App) -> CallabaEndpoint:
    endpoint = app.backends.built["callaba"].endpoint
    assert isinstance(endpoint, CallabaEndpoint)
    return endpoint


def sandbox_config(database_url: str, **values: object) -> Config:
    """The bridge on the TrueConf sandbox, owned by helen, people and server in
    Moscow, read from these values only (no .env, no shell); ``values`` add to
    or override them, named as their variables in lower case."""
    return load_config(
        env_file=None,
        values={
            "database_url": database_url,
            "trueconf_server_url": "sandbox",
            "trueconf_owner": "helen",
            "default_timezone": "Europe/Moscow",
            "trueconf_server_timezone": "Europe/Moscow",
            **values,
        },
    )


def telegram_config(server: FakeTelegramServer, tmp_path: Path, **values: object) -> Config:
    """The bridge on the TrueConf sandbox with Telegram at the fake Bot API
    ``server``, any chat allowed, a SQLite file in ``tmp_path``; ``values``
    add to or override that."""
    return load_config(
        values={
            "trueconf_server_url": "sandbox",
            "trueconf_owner": "admin",
            "database_url": f"sqlite+aiosqlite:///{tmp_path / 'bridge.db'}",
            "telegram_bot_token": server.state.token,
            "telegram_allowed_chats": "*",
            "telegram_api_url": server.url,
            **values,
        }
    )
