"""``GET /metrics`` as a part of the service: prometheus-client's own ASGI
app on the app's registry, so the text format or OpenMetrics is chosen by the
scraper's ``Accept`` header, and the answer is gzipped when it asks for that.
With METRICS_TOKEN, a request without it is a 401 before anything is read."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from prometheus_client import make_asgi_app
from starlette.routing import BaseRoute, Route
from starlette.types import Receive, Scope, Send

from adapters.metrics.bearer import CHALLENGE, REFUSED, BearerToken
from adapters.metrics.prometheus import PrometheusMetrics
from adapters.metrics.work_process import WithWorkProcess, remove_directory


class _Exposition:
    """prometheus-client's app as an ASGI object: Starlette routes a plain
    function as a request handler, an object as an ASGI app."""

    def __init__(
        self, metrics: PrometheusMetrics, work_process: Path | None, token: BearerToken | None
    ) -> None:
        registry = metrics.registry
        if work_process is not None:  # its counts are added at each scrape
            registry = WithWorkProcess(registry, work_process)  # type: ignore[assignment]
        self._app = make_asgi_app(registry)
        self._token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self._token is not None and not self._token.allows(_authorization(scope)):
            await _refuse(send)
            return
        await self._app(scope, receive, send)


def _authorization(scope: Scope) -> bytes | None:
    for name, value in scope["headers"]:
        if name == b"authorization":
            return bytes(value)
    return None


async def _refuse(send: Send) -> None:
    headers = [
        (b"www-authenticate", CHALLENGE.encode()),
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(REFUSED)).encode()),
    ]
    await send({"type": "http.response.start", "status": 401, "headers": headers})
    await send({"type": "http.response.body", "body": REFUSED})


class MetricsComponent:
    """``/metrics``. ``work_process``: the directory where ``serve``'s work
    process keeps its counts (removed when the service stops); ``token``:
    what a scraper must present (None: anyone may scrape)."""

    name = "metrics"

    def __init__(
        self,
        metrics: PrometheusMetrics,
        work_process: Path | None = None,
        *,
        token: BearerToken | None = None,
    ) -> None:
        self._app = _Exposition(metrics, work_process, token)
        self._work_process = work_process

    @property
    def routes(self) -> Sequence[BaseRoute]:
        return [Route("/metrics", self._app, methods=["GET"])]

    async def start(self) -> None:
        pass

    async def stop(self) -> None:
        if self._work_process is not None:
            remove_directory(self._work_process)
