"""``GET /metrics`` as a part of the service."""

from __future__ import annotations

from collections.abc import Sequence

from prometheus_client import CONTENT_TYPE_LATEST
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from adapters.metrics.prometheus import PrometheusMetrics


class MetricsComponent:
    name = "metrics"

    def __init__(self, metrics: PrometheusMetrics) -> None:
        self._metrics = metrics

    @property
    def routes(self) -> Sequence[BaseRoute]:
        return [Route("/metrics", self._scrape, methods=["GET"])]

    async def _scrape(self, request: Request) -> Response:
        return Response(self._metrics.exposition(), media_type=CONTENT_TYPE_LATEST)

    async def start(self) -> None:
        pass

    async def stop(self) -> None:
        pass
