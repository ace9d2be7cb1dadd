"""The built conference servers of an app, typed, for tests that reach into
them (the sandbox's state, the client)."""

from __future__ import annotations

from adapters.callaba.setup import CallabaEndpoint
from adapters.trueconf.backend import TrueConfBackend
from adapters.trueconf.setup import TrueConfEndpoint
from meetbridge.compose import App


def trueconf_of(app: App) -> tuple[TrueConfBackend, TrueConfEndpoint]:
    built = app.backends.built["trueconf"]
    assert isinstance(built.backend, TrueConfBackend)
    assert isinstance(built.endpoint, TrueConfEndpoint)
    return built.backend, built.endpoint


def callaba_endpoint_of(app: App) -> CallabaEndpoint:
    endpoint = app.backends.built["callaba"].endpoint
    assert isinstance(endpoint, CallabaEndpoint)
    return endpoint
