"""``/metrics`` of a ``meetbridge work`` run apart from ``serve``: that
process serves no HTTP of its own, so prometheus-client's WSGI app answers
on a port of its own, in a thread (a scrape never waits on the work's event
loop). ``serve``'s child needs none: ``serve`` shows its counts. With
METRICS_TOKEN, a request without it is a 401 before anything is read."""

from __future__ import annotations

import asyncio
import io
import logging
import socket
import sys
import threading
import time
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import make_wsgi_app
from prometheus_client.exposition import ThreadingWSGIServer
from starlette.routing import BaseRoute

from adapters.metrics.bearer import CHALLENGE, REFUSED, BearerToken
from adapters.metrics.deadline import DeadlineReader
from adapters.metrics.prometheus import PrometheusMetrics

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

log = logging.getLogger(__name__)
# Anyone who reaches the port may connect (the token is read with the
# request): a connection that sends no whole request is closed after this
# long, and beyond this many at once one is closed as it comes, so idle ones
# cannot take the work process's threads. A scrape needs one, for a moment.
IDLE_SECONDS = 10.0
AT_ONCE = 8


class MetricsListener:
    """A ``Component`` of ``meetbridge work``: listens from ``start`` to ``stop``.
    ``token``: what a scraper must present (None: anyone may scrape);
    ``idle_seconds`` and ``at_once``: see IDLE_SECONDS and AT_ONCE."""

    name = "metrics"

    def __init__(
        self,
        metrics: PrometheusMetrics,
        host: str,
        port: int,
        *,
        token: BearerToken | None = None,
        idle_seconds: float = IDLE_SECONDS,
        at_once: int = AT_ONCE,
    ) -> None:
        self._metrics = metrics
        self._host = host
        self._port = port
        self._token = token
        self._idle_seconds = idle_seconds
        self._at_once = at_once
        self._server: tuple[WSGIServer, threading.Thread] | None = None

    @property
    def routes(self) -> Sequence[BaseRoute]:
        return []

    async def start(self) -> None:
        app = make_wsgi_app(self._metrics.registry)
        if self._token is not None:
            app = _guarded(app, self._token)
        self._server = _start(self._host, self._port, app, self._idle_seconds, self._at_once)
        log.info("metrics on http://%s:%d/metrics", self._host, self._port)

    async def stop(self) -> None:
        if self._server is None:
            return
        server, thread = self._server
        self._server = None
        await asyncio.to_thread(_close, server, thread)


def _guarded(app: WSGIApplication, token: BearerToken) -> WSGIApplication:
    def guarded(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        given = environ.get("HTTP_AUTHORIZATION")
        # wsgiref hands a header's bytes over as latin-1 text: back to its bytes.
        if isinstance(given, str) and token.allows(given.encode("latin-1", "replace")):
            return app(environ, start_response)
        start_response(
            "401 Unauthorized",
            [
                ("WWW-Authenticate", CHALLENGE),
                ("Content-Type", "text/plain; charset=utf-8"),
                ("Content-Length", str(len(REFUSED))),
            ],
        )
        return [REFUSED]

    return guarded


class _Quiet(WSGIRequestHandler):
    """No request lines on stderr (the bridge logs none either)."""

    def log_message(self, format: str, *args: object) -> None:
        pass


def _start(
    host: str, port: int, app: WSGIApplication, idle_seconds: float, at_once: int
) -> tuple[WSGIServer, threading.Thread]:
    """prometheus-client's ``start_http_server``, with ``app`` in its place,
    ``idle_seconds`` to each connection and ``at_once`` of them."""

    class Handler(_Quiet):
        timeout = idle_seconds  # each read and write of the connection

        def setup(self) -> None:
            super().setup()
            # The whole request within idle_seconds, not each read: a byte
            # at a time held the connection for good.
            self._reader = DeadlineReader(self.connection, time.monotonic() + idle_seconds)
            self.rfile.close()  # the socket's own reader, unread yet
            self.rfile = io.BufferedReader(self._reader)

        def parse_request(self) -> bool:
            parsed = super().parse_request()  # reads the headers
            self._reader.lift()  # the request is in
            return parsed

    class Server(ThreadingWSGIServer):
        slots = threading.BoundedSemaphore(at_once)

        def process_request(self, request: Any, client_address: Any) -> None:
            if not self.slots.acquire(blocking=False):
                self.shutdown_request(request)  # closed: no thread for it
                return
            try:
                super().process_request(request, client_address)
            except BaseException:
                self.slots.release()  # no thread was started to release it
                raise

        def handle_error(self, request: Any, client_address: Any) -> None:  # noqa: ARG002
            # socketserver's own writes a traceback to stderr, beside the log.
            error = sys.exc_info()[1]
            if isinstance(error, OSError):  # timed out, reset: the peer's doing
                log.debug(
                    "metrics: a connection closed before its answer (%s)", type(error).__name__
                )
            else:
                log.exception("metrics: a request failed")

        def process_request_thread(self, request: Any, client_address: Any) -> None:
            try:
                super().process_request_thread(request, client_address)
            finally:
                self.slots.release()

    family, _, _, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    Server.address_family = family
    server = make_server(str(address[0]), port, app, Server, handler_class=Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


def _close(server: WSGIServer, thread: threading.Thread) -> None:
    server.shutdown()  # waits for the serving loop, which looks every 0.5 s
    server.server_close()
    thread.join()
