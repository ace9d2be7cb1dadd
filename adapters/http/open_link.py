"""``/open``: an https page that opens the TrueConf app, with the browser link
as fallback.

Slack and Telegram buttons take http(s) URLs only, so a ``trueconf:`` or
``intent:`` deeplink cannot be a button. When ``PUBLIC_URL`` and
``LINK_SECRET`` are set, messengers link to this page instead. The link is
signed (HMAC-SHA256 over both targets), so the page never becomes an open
redirect for URLs the bridge did not issue, and it needs no database lookup.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import json
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING
from urllib.parse import urlencode, urlsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

if TYPE_CHECKING:
    from bot.settings import Settings

APP_SCHEMES = frozenset({"trueconf", "intent"})
WEB_SCHEMES = frozenset({"http", "https"})
MAX_TARGET = 4096
# What ``_sign`` writes: SHA-256 in lowercase hex. Anything else is refused
# before it is compared (a non-ASCII ``str`` cannot be compared in constant time).
_SIGNATURE = re.compile(r"[0-9a-f]{64}")


class OpenLinks:
    """Makes and checks the signed ``/open`` links."""

    def __init__(self, public_url: str, key: bytes) -> None:
        self._base = public_url.rstrip("/")
        self._key = key

    def __repr__(self) -> str:
        return f"OpenLinks(public_url={self._base!r})"

    def _sign(self, target: str, fallback: str) -> str:
        message = json.dumps([target, fallback]).encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def url_for(self, target: str, fallback: str = "") -> str:
        query = urlencode({"to": target, "fallback": fallback, "sig": self._sign(target, fallback)})
        return f"{self._base}/open?{query}"

    def verify(self, target: str, fallback: str, signature: str) -> bool:
        if not _SIGNATURE.fullmatch(signature):
            return False
        return hmac.compare_digest(self._sign(target, fallback).encode(), signature.encode())


def open_links_from(settings: Settings) -> OpenLinks | None:
    if not settings.public_url or settings.link_secret is None:
        return None
    return OpenLinks(settings.public_url, settings.link_secret.get_secret_value().encode())


def _scheme(url: str) -> str:
    return urlsplit(url).scheme.lower()


def _page(target: str, fallback: str) -> str:
    # Every value is escaped for its context: HTML attributes and a JS string.
    # json.dumps does not escape "<", so "</script>" is broken up by hand.
    target_js = json.dumps(target).replace("<", "\\u003c")
    fallback_link = ""
    if fallback:
        fallback_link = (
            f'<p><a href="{html.escape(fallback, quote=True)}">Join in the browser</a></p>'
        )
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width'>"
        "<title>Opening TrueConf…</title></head><body>"
        f'<p><a href="{html.escape(target, quote=True)}">Open in the TrueConf app</a></p>'
        f"{fallback_link}"
        f"<script>window.location.href = {target_js};</script>"
        "</body></html>"
    )


class OpenLinkComponent:
    """The ``/open`` route as a part of ``meetbridge serve``."""

    name = "open-links"

    def __init__(self, links: OpenLinks) -> None:
        self._links = links

    @property
    def routes(self) -> Sequence[BaseRoute]:
        return [Route("/open", self._open, methods=["GET"])]

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def _open(self, request: Request) -> Response:
        target = request.query_params.get("to", "")
        fallback = request.query_params.get("fallback", "")
        signature = request.query_params.get("sig", "")
        valid = (
            0 < len(target) <= MAX_TARGET
            and len(fallback) <= MAX_TARGET
            and _scheme(target) in APP_SCHEMES
            and (not fallback or _scheme(fallback) in WEB_SCHEMES)
            and self._links.verify(target, fallback, signature)
        )
        if not valid:
            return HTMLResponse("<!doctype html><p>This link is not valid.</p>", status_code=404)
        return HTMLResponse(
            _page(target, fallback),
            headers={
                "Cache-Control": "no-store",
                "Referrer-Policy": "no-referrer",
                "X-Content-Type-Options": "nosniff",
            },
        )
