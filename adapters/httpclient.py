"""What every conference-server adapter shares: the HTTP client it talks
through (TLS verified, a timeout on every call) and the retry policy for
idempotent calls."""

from __future__ import annotations

import asyncio
import logging
import re
import ssl
import time
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from typing import Any

import httpx
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt, wait_exponential

from bot.errors import BackendError, BackendUnavailable
from bot.metrics import Metrics

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
_VERSION_SEGMENT = re.compile(r"^v\d+(\.\d+)?$")


def path_template(path: str, words: Collection[str]) -> str:
    """The endpoint of a request path for metrics and logs: the API's own words
    and version kept, every other segment (ids, logins, …) as ``{id}``, so no
    id or token ever becomes a label."""
    kept = [
        segment if segment in words or _VERSION_SEGMENT.match(segment) else "{id}"
        for segment in path.strip("/").split("/")
        if segment
    ]
    return "/" + "/".join(kept)


@dataclass(frozen=True, slots=True)
class CallObserver:
    """Times each call to one conference server, counts it in ``metrics`` and
    logs one line for it (carrying the request id of the work it serves)."""

    backend: str
    metrics: Metrics
    words: Collection[str]

    def record(self, method: str, path: str, status: str, seconds: float) -> None:
        endpoint = path_template(path, self.words)
        self.metrics.backend_request(self.backend, endpoint, status, seconds)
        log.info(
            "%s %s %s: %s in %.1f ms",
            self.backend,
            method,
            endpoint,
            status,
            seconds * 1000,
            extra={
                "event": "backend_call",
                "backend": self.backend,
                "method": method,
                "endpoint": endpoint,
                "status": status,
                "duration_ms": round(seconds * 1000, 1),
            },
        )


class ObservedClient(httpx.AsyncClient):
    """An ``AsyncClient`` whose every request (retries and token fetches
    included) passes its ``CallObserver``. ``send`` is the one method every
    request goes through; the client's TLS, proxy and timeout settings stay
    httpx's own."""

    def __init__(self, observer: CallObserver | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._observer = observer

    async def send(self, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        if self._observer is None:
            return await super().send(request, **kwargs)
        started = time.perf_counter()
        status = "cancelled"
        try:
            response = await super().send(request, **kwargs)
            status = str(response.status_code)
            return response
        except httpx.TimeoutException:
            status = "timeout"
            raise
        except httpx.TransportError:
            status = "unreachable"
            raise
        finally:
            elapsed = time.perf_counter() - started
            self._observer.record(request.method, request.url.path, status, elapsed)


def tls_verification(ca_bundle: str | None) -> ssl.SSLContext | bool:
    """Certificate verification for the server: the system trust store by default,
    or an on-premise CA bundle. There is deliberately no way to turn it off."""
    if ca_bundle:
        return ssl.create_default_context(cafile=ca_bundle)
    return True


def build_http_client(
    server_url: str,
    *,
    ca_bundle: str | None = None,
    timeout: float = 10.0,
    observer: CallObserver | None = None,
) -> httpx.AsyncClient:
    """An ``AsyncClient`` rooted at the server, with a timeout on every call,
    timed and logged by ``observer`` when given.

    The caller owns it and must close it (``await client.aclose()``)."""
    return ObservedClient(
        observer,
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
