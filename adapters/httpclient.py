"""What every conference-server adapter shares: the HTTP client it talks
through (TLS verified, a timeout on every call) and the retry policy for
idempotent calls."""

from __future__ import annotations

import asyncio
import logging
import re
import socket
import ssl
import time
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

import httpx
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt, wait_exponential

from bot.errors import BackendError, BackendUnavailable, Refusal
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
        except httpx.TimeoutException:
            status = "timeout"
            raise
        except httpx.TransportError:
            status = "unreachable"
            raise
        else:
            status = str(response.status_code)
            return response
        finally:
            elapsed = time.perf_counter() - started
            self._observer.record(request.method, request.url.path, status, elapsed)


# OpenSSL's verification codes (X509_V_ERR_*) that an admin fixes with a CA file.
_UNTRUSTED = {
    18: "is self-signed",
    19: "has a self-signed CA in its chain",
    20: "is signed by an unknown CA",
    21: "is signed by an unknown CA",
}
_EXPIRED, _NOT_YET_VALID = 10, 9
_WRONG_HOST = {62, 64}  # host name, IP address mismatch


def _ssl_error(exc: BaseException) -> ssl.SSLError | None:
    """The ``ssl`` error somewhere in the chain of causes, if there is one."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, ssl.SSLError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def tls_problem(exc: BaseException, ca_setting: str | None) -> str | None:
    """One sentence naming a TLS failure and what fixes it; ``None`` when
    ``exc`` is not one. ``ca_setting`` is the setting that takes a CA file for
    this server, when it has one."""
    error = _ssl_error(exc)
    if error is None:
        return None
    trust = (
        f"set {ca_setting} to the CA certificate (PEM) that signed it"
        if ca_setting
        else "add the CA that signed it to the system's trust store"
    )
    if isinstance(error, ssl.SSLCertVerificationError):
        code = error.verify_code
        if code in _UNTRUSTED:
            return f"TLS: the server's certificate {_UNTRUSTED[code]}: {trust}"
        if code in _WRONG_HOST:
            return (
                "TLS: the server's certificate is not valid for this host name: "
                "use the name the certificate was issued for in the URL"
            )
        if code == _EXPIRED:
            return "TLS: the server's certificate has expired: renew it on the server"
        if code == _NOT_YET_VALID:
            return "TLS: the server's certificate is not valid yet: check the clocks"
        return f"TLS: certificate verification failed ({error.verify_message}): {trust}"
    reason = error.reason or type(error).__name__
    return f"TLS handshake failed ({reason}): the server may not speak https there"


def unreachable(exc: httpx.TransportError, ca_setting: str | None = None) -> BackendUnavailable:
    """The typed error for a call that got no answer: a TLS failure named as
    such (with the fix), else what kept the connection from being made."""
    return BackendUnavailable(
        "unreachable",
        tls_problem(exc, ca_setting) or transport_problem(exc) or type(exc).__name__,
        refusal=Refusal.UNREACHABLE,
    )


def transport_problem(exc: BaseException) -> str | None:
    """Why no connection was made, in words an admin can act on: a name that
    does not resolve and a port nothing listens on need different fixes.
    ``None`` when the error says neither."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, socket.gaierror):
            return "the host name does not resolve (DNS)"
        if isinstance(seen, ConnectionRefusedError):
            return "connection refused: nothing listens at that host and port"
        seen = seen.__cause__ or seen.__context__
    return None


def ca_bundle_problem(path: str) -> str | None:
    """Why ``path`` cannot serve as a CA bundle, or ``None`` when it can."""
    try:
        ssl.create_default_context(cafile=path)
    except ssl.SSLError as exc:
        return f"not a PEM file of CA certificates ({exc.reason or exc})"
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    return None


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
    return (
        isinstance(exc, BackendError)
        and exc.status is not None
        and exc.status >= HTTPStatus.INTERNAL_SERVER_ERROR
    )


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
