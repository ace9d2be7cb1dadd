"""``/open``: an https page that opens the TrueConf app, with the browser link
as fallback.

Slack and Telegram buttons take http(s) URLs only, so a ``trueconf:`` or
``intent:`` deeplink cannot be a button. When ``PUBLIC_URL`` and
``LINK_SECRET`` are set, messengers link to this page instead. The link is
signed (HMAC-SHA256), so the page never becomes an open redirect for URLs the
bridge did not issue.

A link names its meeting, its expiry (the meeting's end plus a margin; for a
weekly meeting, the end of the occurrence it was made for) and the reader's
language, all under the signature. The page shows the meeting's topic and
time as the bridge holds them now, and a cancelled meeting's link says so
instead of opening the app. Links made before links named their meeting
(``to``, ``fallback`` and ``sig`` only) still verify, and open the app on a
page without the meeting's details.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlencode, urlsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from adapters.http.open_page import (
    PageContent,
    content_security_policy,
    message_page,
    open_page,
    text,
)
from bot.chat import Lang
from bot.clock import Clock
from bot.deeplinks import with_browser_fallback
from bot.link_pages import LinkPages
from bot.reply import LinkContext

if TYPE_CHECKING:
    from bot.settings import Settings

APP_SCHEMES = frozenset({"trueconf", "intent"})
WEB_SCHEMES = frozenset({"http", "https"})
MAX_TARGET = 4096
# What ``_sign`` writes: SHA-256 in lowercase hex. Anything else is refused
# before it is compared (a non-ASCII ``str`` cannot be compared in constant time).
_SIGNATURE = re.compile(r"[0-9a-f]{64}")
_MEETING = re.compile(r"[1-9][0-9]{0,9}")
_EXPIRY = re.compile(r"[0-9]{1,11}")
LANGS: tuple[Lang, ...] = ("en", "ru")


class OpenLinks:
    """Makes and checks the signed ``/open`` links."""

    def __init__(self, public_url: str, key: bytes) -> None:
        self._base = public_url.rstrip("/")
        self._key = key

    def __repr__(self) -> str:
        return f"OpenLinks(public_url={self._base!r})"

    def _mac(self, parts: list[str]) -> str:
        return hmac.new(self._key, json.dumps(parts).encode(), hashlib.sha256).hexdigest()

    def _sign(self, target: str, fallback: str, about: LinkContext | None) -> str:
        if about is None:  # the first form of the link: its targets only
            return self._mac([target, fallback])
        expires = str(int(about.expires.timestamp()))
        return self._mac(["v2", target, fallback, str(about.meeting_id), expires, about.lang])

    def url_for(self, target: str, fallback: str = "", about: LinkContext | None = None) -> str:
        params = {"to": target, "fallback": fallback}
        if about is not None:
            params |= {
                "m": str(about.meeting_id),
                "e": str(int(about.expires.timestamp())),
                "l": about.lang,
            }
        params["sig"] = self._sign(target, fallback, about)
        return f"{self._base}/open?{urlencode(params)}"

    def verify(
        self, target: str, fallback: str, signature: str, about: LinkContext | None = None
    ) -> bool:
        if not _SIGNATURE.fullmatch(signature):
            return False
        expected = self._sign(target, fallback, about).encode()
        return hmac.compare_digest(expected, signature.encode())


def open_links_from(settings: Settings) -> OpenLinks | None:
    if not settings.public_url or settings.link_secret is None:
        return None
    return OpenLinks(settings.public_url, settings.link_secret.get_secret_value().encode())


def _scheme(url: str) -> str:
    return urlsplit(url).scheme.lower()


def _context(params: dict[str, str]) -> LinkContext | bool | None:
    """The link's meeting, expiry and language; ``None`` for a link of the
    first form; ``False`` when they are there but malformed."""
    meeting, expires, lang = params.get("m"), params.get("e"), params.get("l")
    if meeting is None and expires is None and lang is None:
        return None
    if (
        meeting is None
        or expires is None
        or not _MEETING.fullmatch(meeting)
        or not _EXPIRY.fullmatch(expires)
        or lang not in LANGS
    ):
        return False
    at = datetime.fromtimestamp(int(expires), UTC)
    return LinkContext(int(meeting), at, "ru" if lang == "ru" else "en")


class OpenLinkComponent:
    """The ``/open`` route as a part of ``meetbridge serve``."""

    name = "open-links"

    def __init__(self, links: OpenLinks, pages: LinkPages, clock: Clock) -> None:
        self._links = links
        self._pages = pages
        self._clock = clock

    @property
    def routes(self) -> Sequence[BaseRoute]:
        return [Route("/open", self._open, methods=["GET"])]

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def _open(self, request: Request) -> Response:
        params = dict(request.query_params)
        target = params.get("to", "")
        fallback = params.get("fallback", "")
        about = _context(params)
        lang: Lang = about.lang if isinstance(about, LinkContext) else "en"
        valid = (
            about is not False
            and 0 < len(target) <= MAX_TARGET
            and len(fallback) <= MAX_TARGET
            and _scheme(target) in APP_SCHEMES
            and (not fallback or _scheme(fallback) in WEB_SCHEMES)
            and self._links.verify(
                target,
                fallback,
                params.get("sig", ""),
                about if isinstance(about, LinkContext) else None,
            )
        )
        if not valid:
            return _message(lang, "invalid_title", text("invalid", lang), 404)
        if not isinstance(about, LinkContext):
            return _app_page(PageContent("en", text("title", "en")), target, fallback)
        if self._clock.now() > about.expires:
            return _message(lang, "expired_title", text("expired", lang, id=about.meeting_id), 410)
        page = await self._pages.page_of(about.meeting_id, lang)
        if page is None:
            return _message(lang, "expired_title", text("gone", lang), 410)
        if page.cancelled:
            body = text("cancelled", lang, topic=page.topic)
            return _message(lang, "cancelled_title", body, 410)
        return _app_page(PageContent(lang, page.topic, (page.when,)), target, fallback)


_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}


def _headers(nonce: str) -> dict[str, str]:
    return {**_HEADERS, "Content-Security-Policy": content_security_policy(nonce)}


def _message(lang: Lang, title_key: str, line: str, status: int) -> Response:
    nonce = secrets.token_urlsafe(16)
    content = PageContent(lang, text(title_key, lang), (line,))
    return HTMLResponse(message_page(content, nonce), status_code=status, headers=_headers(nonce))


def _app_page(content: PageContent, target: str, fallback: str) -> Response:
    nonce = secrets.token_urlsafe(16)
    app_url = with_browser_fallback(target, fallback)
    full = PageContent(content.lang, content.title, content.lines, app_url, fallback)
    return HTMLResponse(open_page(full, nonce), headers=_headers(nonce))
