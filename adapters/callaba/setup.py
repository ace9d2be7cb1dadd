"""Building the Callaba backend from settings, with the built-in sandbox when
``CALLABA_URL=sandbox``. Nothing falls back to the sandbox silently."""

from __future__ import annotations

from contextlib import AsyncExitStack
from dataclasses import dataclass

from pydantic import SecretStr

from adapters.callaba.backend import CallabaBackend
from adapters.callaba.client import ENDPOINT_WORDS, CallabaClient
from adapters.callaba.sandbox import CallabaSandbox
from adapters.callaba.settings import CallabaSettings
from adapters.httpclient import CallObserver, build_http_client
from bot.clock import Clock
from bot.errors import ConfigError
from bot.metrics import Metrics, NoMetrics


@dataclass(frozen=True)
class CallabaEndpoint:
    url: str
    token: SecretStr
    # The running built-in sandbox, when CALLABA_URL=sandbox.
    sandbox: CallabaSandbox | None = None

    @property
    def is_sandbox(self) -> bool:
        return self.sandbox is not None


def check_callaba_settings(settings: CallabaSettings) -> None:
    """Raise the ``ConfigError`` that says what is missing in the Callaba
    settings (``serve`` and ``doctor`` both refuse on it)."""
    if settings.url is None:
        raise ConfigError(
            "CALLABA_URL is not set: point it at your Callaba server "
            "(e.g. https://rooms.example.com), or set it to 'sandbox'."
        )
    if settings.uses_sandbox:
        return
    if settings.token is None or not settings.token.get_secret_value():
        raise ConfigError(
            "CALLABA_TOKEN is not set: copy the API token from Callaba "
            "(it goes in the x-access-token header)."
        )


async def callaba_endpoint(
    settings: CallabaSettings, clock: Clock, stack: AsyncExitStack
) -> CallabaEndpoint:
    """Where Callaba is; starts the sandbox (stopped with ``stack``) when asked."""
    check_callaba_settings(settings)
    assert settings.url is not None
    if settings.uses_sandbox:
        sandbox = CallabaSandbox(clock=clock)
        await stack.enter_async_context(sandbox)
        return CallabaEndpoint(sandbox.base_url, SecretStr(sandbox.token), sandbox)
    assert settings.token is not None
    return CallabaEndpoint(settings.url, settings.token)


async def build_callaba(
    settings: CallabaSettings, clock: Clock, stack: AsyncExitStack, metrics: Metrics | None = None
) -> tuple[CallabaBackend, CallabaEndpoint]:
    endpoint = await callaba_endpoint(settings, clock, stack)
    http = build_http_client(
        endpoint.url,
        timeout=settings.timeout_seconds,
        observer=CallObserver("callaba", metrics or NoMetrics(), ENDPOINT_WORDS),
    )
    stack.push_async_callback(http.aclose)
    public_url = None if endpoint.is_sandbox else settings.public_url
    return CallabaBackend(CallabaClient(http, endpoint.token), public_url=public_url), endpoint
