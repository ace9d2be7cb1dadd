"""Building the TrueConf backend from settings, with the built-in sandbox when
``TRUECONF_SERVER_URL=sandbox``. Nothing falls back to the sandbox silently."""

from __future__ import annotations

from contextlib import AsyncExitStack
from dataclasses import dataclass

from pydantic import SecretStr

from adapters.httpclient import CallObserver, build_http_client, ca_bundle_problem
from adapters.trueconf.auth import TrueConfAuth
from adapters.trueconf.backend import TrueConfBackend
from adapters.trueconf.client import ENDPOINT_WORDS, TrueConfClient
from adapters.trueconf.sandbox import SandboxServer
from adapters.trueconf.settings import TrueConfSettings
from bot.clock import Clock
from bot.errors import ConfigError
from bot.metrics import Metrics, NoMetrics


@dataclass(frozen=True)
class TrueConfEndpoint:
    url: str
    client_id: str
    client_secret: SecretStr
    ca_bundle: str | None
    # The running built-in sandbox, when TRUECONF_SERVER_URL=sandbox.
    sandbox: SandboxServer | None = None

    @property
    def is_sandbox(self) -> bool:
        return self.sandbox is not None


def check_trueconf_settings(settings: TrueConfSettings) -> None:
    """Raise the ``ConfigError`` that says what is missing or wrong in the
    TrueConf settings (``serve`` and ``doctor`` both refuse on it)."""
    if settings.server_url is None:
        raise ConfigError(
            "TRUECONF_SERVER_URL is not set: point it at your TrueConf Server "
            "(e.g. https://video.example.com), or set it to 'sandbox' for the built-in sandbox."
        )
    if settings.uses_sandbox:
        return
    missing = [
        name
        for name, value in (
            ("TRUECONF_CLIENT_ID", settings.client_id),
            ("TRUECONF_CLIENT_SECRET", settings.client_secret),
        )
        if not value
    ]
    if missing:
        raise ConfigError(
            f"{' and '.join(missing)} not set: create an OAuth application in the TrueConf "
            "control panel (API → OAuth2) and copy its ID and secret."
        )
    bundle = settings.ca_bundle
    if bundle is not None:
        if not bundle.is_file():
            raise ConfigError(f"TRUECONF_CA_BUNDLE={bundle} is not a readable file.")
        problem = ca_bundle_problem(str(bundle))
        if problem is not None:
            raise ConfigError(
                f"TRUECONF_CA_BUNDLE={bundle} is {problem}: give the CA certificate in PEM "
                "(a DER file converts with `openssl x509 -inform der -in FILE -out ca.pem`)."
            )


async def endpoint_from_settings(
    settings: TrueConfSettings, stack: AsyncExitStack
) -> TrueConfEndpoint:
    """Where the TrueConf server is; starts the sandbox (stopped with ``stack``)
    when the settings ask for it."""
    check_trueconf_settings(settings)
    assert settings.server_url is not None
    if settings.uses_sandbox:
        sandbox = SandboxServer(server_zone=settings.server_timezone)
        # Starting and stopping wait on a thread: off the event loop.
        await stack.enter_async_context(sandbox)
        return TrueConfEndpoint(
            url=sandbox.base_url,
            client_id=sandbox.client_id,
            client_secret=SecretStr(sandbox.client_secret),
            ca_bundle=None,
            sandbox=sandbox,
        )
    assert settings.client_id is not None
    assert settings.client_secret is not None
    ca_bundle = str(settings.ca_bundle) if settings.ca_bundle else None
    return TrueConfEndpoint(
        url=settings.server_url,
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        ca_bundle=ca_bundle,
    )


async def build_trueconf(
    settings: TrueConfSettings, clock: Clock, stack: AsyncExitStack, metrics: Metrics | None = None
) -> tuple[TrueConfBackend, TrueConfEndpoint]:
    endpoint = await endpoint_from_settings(settings, stack)
    metrics = metrics or NoMetrics()
    http = build_http_client(
        endpoint.url,
        ca_bundle=endpoint.ca_bundle,
        timeout=settings.timeout_seconds,
        observer=CallObserver("trueconf", metrics, ENDPOINT_WORDS),
    )
    stack.push_async_callback(http.aclose)
    auth = TrueConfAuth(
        http, endpoint.client_id, endpoint.client_secret, clock=clock, metrics=metrics
    )
    client = TrueConfClient(http, auth, api_version=settings.api_version)
    backend = TrueConfBackend(client, server_zone=settings.server_timezone, clock=clock)
    return backend, endpoint
