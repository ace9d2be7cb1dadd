"""A fake Socket Mode endpoint: the WebSocket Slack opens for apps without a
public URL. It greets each connection, pushes the envelopes a test hands it,
and records the acknowledgements that come back.

aiohttp serves it (aiohttp is already the Slack SDK's transport), from its
own thread and loop on a free loopback port.
"""

from __future__ import annotations

import asyncio
import json
import threading
from types import TracebackType
from typing import Any, Self

from aiohttp import WSMsgType, web

from tests.support.serve import wait_until


class FakeSocketMode:
    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._runner: web.AppRunner | None = None
        self._sockets: list[web.WebSocketResponse] = []
        self._acks: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self.port = 0

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/link"

    @property
    def connected(self) -> bool:
        with self._lock:
            return any(not ws.closed for ws in self._sockets)

    def acks(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._acks)

    async def _link(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_str(json.dumps({"type": "hello", "num_connections": 1}))
        with self._lock:
            self._sockets.append(ws)
        async for message in ws:
            if message.type is WSMsgType.TEXT:
                with self._lock:
                    self._acks.append(json.loads(message.data))
        return ws

    def push(self, envelope: dict[str, Any]) -> None:
        """Send an envelope to the connected app."""
        wait_until(lambda: self.connected, timeout=15, what="the app's Socket Mode connection")
        with self._lock:
            ws = next(ws for ws in self._sockets if not ws.closed)
        future = asyncio.run_coroutine_threadsafe(ws.send_str(json.dumps(envelope)), self._loop)
        future.result(timeout=5)

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_get("/link", self._link)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert isinstance(server, asyncio.Server)
        self.port = server.sockets[0].getsockname()[1]

    async def _stop(self) -> None:
        with self._lock:
            sockets = list(self._sockets)
        for ws in sockets:
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    def __enter__(self) -> Self:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(timeout=10)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()
