"""``GET /metrics`` as a part of the service: prometheus-client's own ASGI
app on the app's registry, so the text format or OpenMetrics is chosen by the
scraper's ``Accept`` header, and the answer is gzipped when it asks for that."""

from __future__ import annotations

from collections.abc import Sequence

from prometheus_client import make_asgi_app
from starlette.routing import BaseRoute, Route
from starlette.types import Receive, Scope, Send

from adapters.metrics.prometheus import PrometheusMetrics


class _Exposition:
    """prometheus-client's app as an ASGI object: Starlette routes a plain
    function as a request handler, an object as an ASGI app."""

    def __init__(self, metrics: PrometheusMetrics) -> None:
        self._app = make_asgi_app(metrics.registry)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._app(scope, receive, send)


class MetricsComponent:
    name = "metrics"

    def __init__(self, metrics: PrometheusMetrics) -> None:
        self._app = _Exposition(metrics)

    @property
    def routes(self) -> Sequence[BaseRoute]:
        return [Route("/metrics", self._app, methods=["GET"])]

    async def start(self) -> None:
        pass

    async def stop(self) -> None:
        pass
