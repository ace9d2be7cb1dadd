"""Request bodies are capped before they are read (``MAX_REQUEST_BYTES``).

Every route of the service takes small bodies (Slack's and Telegram's
payloads are a few kilobytes), and most of them are read before anyone is
authenticated, so a body past the limit is refused with 413 instead of being
held in memory. A declared ``Content-Length`` over the limit is refused
before a byte of the body is read; a body without one (chunked) is counted
while it is read and refused as soon as it passes the limit. The answer
closes the connection, so the rest of the body is never read either. A client
that closes the connection before its body arrived has nobody left to answer:
one line says so, not a traceback (anyone can do it, as often as they like).
"""

from __future__ import annotations

import logging

from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

DEFAULT_MAX_REQUEST_BYTES = 1 << 20
TOO_LARGE = b'{"ok":false,"error":"request body too large"}'


class BodyTooLarge(Exception):
    """Raised from ``receive`` once the body passes the limit."""


def _declared_length(scope: Scope) -> int | None:
    """The ``Content-Length`` header as a number; ``None`` if absent. A value
    that is not a number counts as too large: uvicorn refuses those itself,
    but this check must not depend on the server in front of it."""
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isascii() and text.isdigit() else -1
    return None


class BodyLimit:
    """ASGI middleware: no request body past ``max_bytes`` reaches the app."""

    def __init__(self, app: ASGIApp, max_bytes: int = DEFAULT_MAX_REQUEST_BYTES) -> None:
        self._app = app
        self._max = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        declared = _declared_length(scope)
        if declared is not None and not 0 <= declared <= self._max:
            await self._refuse(scope, send, read=0, declared=declared)
            return
        read = 0
        started = False

        async def counted() -> Message:
            nonlocal read
            message = await receive()
            if message["type"] == "http.request":
                read += len(message.get("body", b""))
                if read > self._max:
                    raise BodyTooLarge
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self._app(scope, counted, watched)
        except BodyTooLarge:
            if started:  # nothing more can be said on this response
                raise
            await self._refuse(scope, send, read=read, declared=declared)
        except ClientDisconnect:
            log.info(
                "a client went away before its request body to %s arrived (read %d bytes)",
                scope.get("path", "?"),
                read,
            )

    async def _refuse(self, scope: Scope, send: Send, *, read: int, declared: int | None) -> None:
        log.warning(
            "refused a request to %s: its body is over MAX_REQUEST_BYTES (%d); "
            "declared %s, read %d bytes of it",
            scope.get("path", "?"),
            self._max,
            "no length" if declared is None else f"{declared} bytes",
            read,
            extra={"event": "body_too_large", "bytes_read": read},
        )
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(TOO_LARGE)).encode()),
                    # The rest of the body is never read: the connection ends here.
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": TOO_LARGE})
