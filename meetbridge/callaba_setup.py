"""Building the Callaba backend from settings, with the built-in sandbox when
``CALLABA_URL=sandbox``. Nothing falls back to the sandbox silently."""

from __future__ import annotations

from contextlib import AsyncExitStack
from dataclasses import dataclass

from pydantic import SecretStr

from adapters.callaba.backend import CallabaBackend
from adapters.callaba.client import ENDPOINT_WORDS, CallabaClient
from adapters.callaba.sandbox import CallabaSandbox
from adapters.httpclient import CallObserver, build_http_client
from bot.clock import Clock
from bot.errors import ConfigError
from bot.metrics import Metrics, NoMetrics
from bot.settings import SANDBOX, Settings


@dataclass(frozen=True)
class CallabaEndpoint:
    url: str
    token: SecretStr
    # The running built-in sandbox, when CALLABA_URL=sandbox.
    sandbox: CallabaSandbox | None = None

    @property
    def is_sandbox(self) -> bool:
        return self.sandbox is not None


async def callaba_endpoint(
    settings: Settings, clock: Clock, stack: AsyncExitStack
) -> CallabaEndpoint:
    """Where Callaba is; starts the sandbox (stopped with ``stack``) when asked."""
    if settings.callaba_url is None:
        raise ConfigError(
            "CALLABA_URL is not set: point it at your Callaba server "
            "(e.g. https://rooms.example.com), or set it to 'sandbox'."
        )
    if settings.callaba_url == SANDBOX:
        sandbox = CallabaSandbox(clock=clock)
        await stack.enter_async_context(sandbox)
        return CallabaEndpoint(sandbox.base_url, SecretStr(sandbox.token), sandbox)
    if settings.callaba_token is None or not settings.callaba_token.get_secret_value():
        raise ConfigError(
            "CALLABA_TOKEN is not set: copy the API token from Callaba "
            "(it goes in the x-access-token header)."
        )
    return CallabaEndpoint(settings.callaba_url, settings.callaba_token)


async def build_callaba(
    settings: Settings, clock: Clock, stack: AsyncExitStack, metrics: Metrics | None = None
) -> tuple[CallabaBackend, CallabaEndpoint]:
    endpoint = await callaba_endpoint(settings, clock, stack)
    http = build_http_client(
        endpoint.url,
        timeout=settings.callaba_timeout_seconds,
        observer=CallObserver("callaba", metrics or NoMetrics(), ENDPOINT_WORDS),
    )
    stack.push_async_callback(http.aclose)
    public_url = None if endpoint.is_sandbox else settings.callaba_public_url
    return CallabaBackend(CallabaClient(http, endpoint.token), public_url=public_url), endpoint
