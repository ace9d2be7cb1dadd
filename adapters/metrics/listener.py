"""``/metrics`` of a ``meetbridge work`` run apart from ``serve``: that
process serves no HTTP of its own, so prometheus-client's own server answers
on a port of its own, in a thread (a scrape never waits on the work's event
loop). ``serve``'s child needs none: ``serve`` shows its counts."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Sequence
from wsgiref.simple_server import WSGIServer

from prometheus_client import start_http_server
from starlette.routing import BaseRoute

from adapters.metrics.prometheus import PrometheusMetrics

log = logging.getLogger(__name__)


class MetricsListener:
    """A ``Component`` of ``meetbridge work``: listens from ``start`` to ``stop``."""

    name = "metrics"

    def __init__(self, metrics: PrometheusMetrics, host: str, port: int) -> None:
        self._metrics = metrics
        self._host = host
        self._port = port
        self._server: tuple[WSGIServer, threading.Thread] | None = None

    @property
    def routes(self) -> Sequence[BaseRoute]:
        return []

    async def start(self) -> None:
        self._server = start_http_server(self._port, self._host, self._metrics.registry)
        log.info("metrics on http://%s:%d/metrics", self._host, self._port)

    async def stop(self) -> None:
        if self._server is None:
            return
        server, thread = self._server
        self._server = None
        await asyncio.to_thread(_close, server, thread)


def _close(server: WSGIServer, thread: threading.Thread) -> None:
    server.shutdown()  # waits for the serving loop, which looks every 0.5 s
    server.server_close()
    thread.join()
