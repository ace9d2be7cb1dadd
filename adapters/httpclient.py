"""What every conference-server adapter shares: the HTTP client it talks
through (TLS verified, a timeout on every call) and the retry policy for
idempotent calls."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Awaitable, Callable

import httpx
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt, wait_exponential

from bot.errors import BackendError, BackendUnavailable

Sleep = Callable[[float], Awaitable[None]]


def tls_verification(ca_bundle: str | None) -> ssl.SSLContext | bool:
    """Certificate verification for the server: the system trust store by default,
    or an on-premise CA bundle. There is deliberately no way to turn it off."""
    if ca_bundle:
        return ssl.create_default_context(cafile=ca_bundle)
    return True


def build_http_client(
    server_url: str, *, ca_bundle: str | None = None, timeout: float = 10.0
) -> httpx.AsyncClient:
    """An ``AsyncClient`` rooted at the server, with a timeout on every call.

    The caller owns it and must close it (``await client.aclose()``)."""
    return httpx.AsyncClient(
        base_url=server_url.rstrip("/"),
        timeout=httpx.Timeout(timeout),
        verify=tls_verification(ca_bundle),
        follow_redirects=False,
        headers={"Accept": "application/json"},
    )


def transient(exc: BaseException) -> bool:
    """Worth another attempt: no answer in time, no connection, or a 5xx."""
    if isinstance(exc, BackendUnavailable):
        return True
    return isinstance(exc, BackendError) and exc.status is not None and exc.status >= 500


def idempotent_retrying(
    attempts: int,
    *,
    backoff_initial: float = 0.25,
    backoff_max: float = 4.0,
    sleep: Sleep = asyncio.sleep,
) -> AsyncRetrying:
    """The retry policy for calls that are safe to repeat (never for creation)."""
    return AsyncRetrying(
        stop=stop_after_attempt(max(1, attempts)),
        wait=wait_exponential(multiplier=backoff_initial, min=backoff_initial, max=backoff_max),
        retry=retry_if_exception(transient),
        sleep=sleep,
        reraise=True,
    )
