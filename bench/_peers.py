"""The bridge's peers on loopback, timed: the TrueConf sandbox (with injected
latency) and the fake Slack Web API, each serving from a thread of the
benchmark's process so the benchmark reads their logs directly.

Each peer's ASGI app is wrapped so every request leaves a ``Span``: when the
app got it and when it had answered, on ``time.monotonic()`` (CLOCK_MONOTONIC,
one clock for every process on the machine, so spans compare with times taken
in the load generator).
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from starlette.requests import ClientDisconnect

from adapters.loopback import LoopbackServer
from adapters.trueconf.sandbox import SandboxState
from adapters.trueconf.sandbox.app import build_app
from tests.support.fake_slack import FakeSlack

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Span:
    method: str
    path: str
    start: float
    end: float

    @property
    def seconds(self) -> float:
        return self.end - self.start


class SpanLog:
    """Spans appended by a server thread, read (and waited for) by the benchmark."""

    def __init__(self) -> None:
        self._spans: list[Span] = []
        self._by_path: dict[str, Span] = {}  # the first span of each path
        self._changed = threading.Condition()

    def add(self, span: Span) -> None:
        with self._changed:
            self._spans.append(span)
            self._by_path.setdefault(span.path, span)
            self._changed.notify_all()

    def all(self) -> list[Span]:
        with self._changed:
            return list(self._spans)

    def between(self, start: float, end: float, prefix: str = "/") -> list[Span]:
        """Spans that began inside ``[start, end]`` on paths under ``prefix``."""
        return [s for s in self.all() if start <= s.start <= end and s.path.startswith(prefix)]

    def first(self, path: str) -> Span | None:
        with self._changed:
            return self._by_path.get(path)

    def wait_first(self, path: str, timeout: float) -> Span | None:
        """The first span of ``path``, waiting up to ``timeout`` seconds for it."""
        with self._changed:
            self._changed.wait_for(lambda: path in self._by_path, timeout)
            return self._by_path.get(path)

    def wait_next(self, paths: tuple[str, ...], after: float, timeout: float) -> Span | None:
        """The first span on one of ``paths`` that began after ``after``,
        waiting up to ``timeout`` seconds for it."""

        def found() -> Span | None:
            return next((s for s in self._spans if s.path in paths and s.start >= after), None)

        with self._changed:
            self._changed.wait_for(lambda: found() is not None, timeout)
            return found()

    def count(self, prefix: str) -> int:
        with self._changed:
            return sum(1 for path in self._by_path if path.startswith(prefix))


def timed(app: App, log: SpanLog) -> App:
    """``app`` recording a span per HTTP request (start: the app is called;
    end: the last body chunk is handed to the server)."""

    async def wrapper(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        start = time.monotonic()

        async def timed_send(message: MutableMapping[str, Any]) -> None:
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                log.add(Span(scope["method"], scope["path"], start, time.monotonic()))

        # A bridge stopped mid-request (after an overload) leaves no answer and no span.
        with contextlib.suppress(ClientDisconnect):
            await app(scope, receive, timed_send)

    return wrapper


class TimedSandbox(LoopbackServer):
    """The TrueConf sandbox with its spans; ``state.latency`` may change while
    it runs (the next request waits that long before it is handled)."""

    def __init__(self, *, latency: float = 0.0, **state_options: Any) -> None:
        self.state = SandboxState(latency=latency, **state_options)
        self.spans = SpanLog()
        super().__init__(lambda: timed(build_app(self.state), self.spans), name="trueconf-sandbox")

    @property
    def env(self) -> dict[str, str]:
        """Settings that point ``meetbridge serve`` at this sandbox."""
        return {
            "TRUECONF_SERVER_URL": self.base_url,
            "TRUECONF_CLIENT_ID": self.state.client_id,
            "TRUECONF_CLIENT_SECRET": self.state.client_secret,
            "TRUECONF_SERVER_TIMEZONE": self.state.server_zone,
        }


# A posted message whose text names a reply (``[reply:<name>]``, from a topic).
_NAMED = re.compile(rb"\[reply:([A-Za-z0-9.-]{1,64})\]")


class TimedSlack(FakeSlack):
    """The fake Slack Web API and response URLs, with spans: a reply posted to
    ``response_url(name)`` shows as a span on ``/response/<name>``, and so does
    a card posted with ``chat.postMessage`` (a meeting's live card) whose text
    holds ``[reply:<name>]``: a command whose topic carries that is matched to
    its reply either way."""

    def __init__(self, users: list[dict[str, Any]] | None = None) -> None:
        super().__init__(users)
        self.spans = SpanLog()

    def _app(self) -> Any:
        return self._named(timed(super()._app(), self.spans))

    def _named(self, app: App) -> App:
        async def wrapper(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http" or scope["path"] != "/api/chat.postMessage":
                await app(scope, receive, send)
                return
            start, body = time.monotonic(), bytearray()

            async def reading() -> MutableMapping[str, Any]:
                message = await receive()
                body.extend(message.get("body", b""))
                return message

            async def answered(message: MutableMapping[str, Any]) -> None:
                await send(message)
                if message["type"] == "http.response.body" and not message.get("more_body"):
                    found = _NAMED.search(bytes(body))
                    if found is not None:
                        path = f"/response/{found.group(1).decode()}"
                        self.spans.add(Span("POST", path, start, time.monotonic()))

            await app(scope, reading, answered)

        return wrapper
