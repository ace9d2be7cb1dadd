"""``POST /telegram/webhook``: Telegram's deliveries, checked and queued.

The secret Telegram echoes in ``X-Telegram-Bot-Api-Secret-Token`` is compared
in constant time; a wrong or missing one gets 401 and nothing else happens (its
value is never logged). A good delivery is queued for the application and
answered at once, so a slow conference server never makes Telegram retry.
The body's size is capped by the service (``MAX_REQUEST_BYTES``) before it
gets here; whatever it holds, a body that does not decode to an update, or
holds a number no Telegram update holds, is a 400, never a 500.
"""

from __future__ import annotations

import hmac
import json
import logging
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from telegram import Update
from telegram.ext import Application

from adapters.telegram.payload import check_update

log = logging.getLogger(__name__)

PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 (a header name)


def secret_matches(given: str | None, expected: str) -> bool:
    return hmac.compare_digest((given or "").encode(), expected.encode())


def webhook_route(application: Application[Any, Any, Any, Any, Any, Any], secret: str) -> Route:
    async def receive(request: Request) -> Response:
        if not secret_matches(request.headers.get(SECRET_HEADER), secret):
            log.warning("refused a Telegram webhook call without the right secret")
            return JSONResponse({"ok": False}, status_code=401)
        body = await request.body()
        try:
            update = Update.de_json(check_update(json.loads(body)), application.bot)
        except Exception as exc:
            # Whatever the decoding raises: a JSON error, a RecursionError from
            # deep nesting, a NotAnUpdateError (a bool or a float for an id, a
            # number past 64 bits), or whatever PTB raises on what is left. The
            # sender is authenticated, but its body is still data, and data
            # does not get a 500.
            log.warning(
                "refused a Telegram webhook call that is not an update: %s", type(exc).__name__
            )
            return JSONResponse({"ok": False, "error": "not an update"}, status_code=400)
        await application.update_queue.put(update)
        return JSONResponse({"ok": True})

    return Route(PATH, receive, methods=["POST"])
