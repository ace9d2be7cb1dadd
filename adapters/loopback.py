"""Serving an ASGI app on a free loopback port from a background thread: the
runner behind every backend sandbox."""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any, Self

import uvicorn

AppFactory = Callable[[], Any]


class _OwnLines(logging.Filter):
    """uvicorn logs to its module loggers (``uvicorn.error``), which serve's own
    server shares: of the records this server's thread writes there, only
    warnings pass, under the server's name, so none reads as serve's."""

    def __init__(self, thread: str, name: str) -> None:
        super().__init__()
        self._thread = thread
        self._name = name

    def filter(self, record: logging.LogRecord) -> bool:
        if record.threadName != self._thread:
            return True
        record.name = self._name
        return record.levelno >= logging.WARNING


# Where uvicorn's server and protocols log.
_UVICORN_LOGGER = "uvicorn.error"


class LoopbackServer:
    """Serves ``app_factory()`` on ``127.0.0.1:<free port>`` from its own thread
    and event loop, so sync and async tests can use it alike (``with`` or
    ``async with``)."""

    def __init__(
        self, app_factory: AppFactory, *, name: str, backlog: int = 128, ws: str = "none"
    ) -> None:
        self._app_factory = app_factory
        # "websockets" for an app with WebSocket routes (the chat sandbox).
        self._ws = ws
        self._name = name
        self._backlog = backlog
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None
        self._own_lines: _OwnLines | None = None
        self._port = 0

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    @property
    def base_url(self) -> str:
        if not self._port:
            raise RuntimeError(f"the {self._name} is not running")
        return f"http://127.0.0.1:{self._port}"

    def start(self, timeout: float = 10.0) -> None:
        if self._thread is not None:
            raise RuntimeError(f"the {self._name} is already running")
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # Answers go out as headers then body: without this, Nagle holds the
        # body for the client's delayed ACK, some 40 ms per request.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind(("127.0.0.1", 0))
        sock.listen(self._backlog)
        self._socket = sock
        self._port = sock.getsockname()[1]
        config = uvicorn.Config(
            self._app_factory(),
            # uvicorn's logging set-up is process-wide: serve's stays as it is.
            log_config=None,
            log_level=None,
            access_log=False,
            lifespan="off",
            ws=self._ws,
            http="h11",
        )
        server = uvicorn.Server(config)
        self._server = server
        thread = f"{self._name}-{self._port}"
        self._own_lines = _OwnLines(thread, self._name)
        logging.getLogger(_UVICORN_LOGGER).addFilter(self._own_lines)
        self._thread = threading.Thread(
            target=lambda: asyncio.run(server.serve(sockets=[sock])),
            name=thread,
            daemon=True,
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not server.started and self._thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.005)  # uvicorn offers no started event to wait on
        if not server.started:
            self.stop()
            raise RuntimeError(f"the {self._name} did not start")

    def stop(self, timeout: float = 10.0) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
        if self._socket is not None:
            self._socket.close()
        if self._own_lines is not None:
            logging.getLogger(_UVICORN_LOGGER).removeFilter(self._own_lines)
        self._own_lines = None
        self._server = None
        self._thread = None
        self._socket = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    async def __aenter__(self) -> Self:
        # Starting and stopping wait on a thread: off the event loop.
        await asyncio.to_thread(self.start)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await asyncio.to_thread(self.stop)
