"""The built conference servers of an app, typed, for tests that reach into
them (the sandbox's state, the client)."""

from __future__ import annotations

from adapters.callaba.setup import CallabaEndpoint
from adapters.trueconf.backend import TrueConfBackend
from adapters.trueconf.setup import TrueConfEndpoint
from meetbridge.compose import App
from meetbridge.config import Config, load_config


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
