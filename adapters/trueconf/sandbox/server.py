"""Running the sandbox on a free loopback port in a background thread."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from types import TracebackType
from typing import Any, Self

import uvicorn

from adapters.trueconf.sandbox.app import build_app
from adapters.trueconf.sandbox.state import SandboxState


class SandboxServer:
    """A live sandbox TrueConf Server on ``127.0.0.1:<free port>``.

    It serves from its own thread and event loop, so sync and async tests can
    use it alike::

        with SandboxServer() as sandbox:            # or: async with SandboxServer() ...
            sandbox.base_url, sandbox.client_id, sandbox.client_secret
            sandbox.state.calls("POST /conferences")

    Keyword arguments go to ``SandboxState`` (users, clock, token_lifetime, ...).
    """

    def __init__(self, state: SandboxState | None = None, **state_options: Any) -> None:
        if state is not None and state_options:
            raise TypeError("pass either a SandboxState or its options, not both")
        self.state = state or SandboxState(**state_options)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None
        self._port = 0

    def __repr__(self) -> str:
        return f"SandboxServer(base_url={self.base_url!r})"

    @property
    def base_url(self) -> str:
        if not self._port:
            raise RuntimeError("the sandbox is not running")
        return f"http://127.0.0.1:{self._port}"

    @property
    def client_id(self) -> str:
        return self.state.client_id

    @property
    def client_secret(self) -> str:
        return self.state.client_secret

    def start(self, timeout: float = 10.0) -> None:
        if self._thread is not None:
            raise RuntimeError("the sandbox is already running")
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        sock.listen(128)
        self._socket = sock
        self._port = sock.getsockname()[1]
        config = uvicorn.Config(
            build_app(self.state),
            log_level="warning",
            access_log=False,
            lifespan="off",
            ws="none",
            http="h11",
        )
        server = uvicorn.Server(config)
        self._server = server
        self._thread = threading.Thread(
            target=lambda: asyncio.run(server.serve(sockets=[sock])),
            name=f"trueconf-sandbox-{self._port}",
            daemon=True,
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not server.started and self._thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.005)  # uvicorn offers no started event to wait on
        if not server.started:
            self.stop()
            raise RuntimeError("the sandbox did not start")

    def stop(self, timeout: float = 10.0) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
        if self._socket is not None:
            self._socket.close()
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
        await asyncio.to_thread(self.start)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await asyncio.to_thread(self.stop)
