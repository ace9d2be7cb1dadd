"""``/ics/<token>.ics``: a meeting's .ics file, made by the bridge, where a
click (or a calendar's subscription) reaches it.

The token is the meeting's number and an HMAC over its calendar UID, so a
link cannot be guessed from a number, and it stays the same while the
meeting changes: a subscribed calendar picks up every edit (a higher
SEQUENCE) and the cancellation (STATUS:CANCELLED). No TrueConf token is
involved: the file comes from the bridge's own record.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from bot.calendars.files import CalendarFiles
from bot.calendars.ics import MEDIA_TYPE
from bot.meeting import Meeting

if TYPE_CHECKING:
    from bot.settings import Settings

_TOKEN = re.compile(r"([1-9][0-9]{0,9})-([0-9a-f]{32})\.ics")
_MAX_ID = 2**31 - 1


class CalendarFeedLinks:
    """Makes and checks the signed ``/ics`` links (the core's ``CalendarFeeds``)."""

    def __init__(self, public_url: str, key: bytes) -> None:
        self._base = public_url.rstrip("/")
        self._key = key

    def __repr__(self) -> str:
        return f"CalendarFeedLinks(public_url={self._base!r})"

    def _sign(self, uid: str) -> str:
        # Its own domain, so no /open signature is ever a valid /ics one.
        message = b"ics\x00" + uid.encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()[:32]

    def ics_url(self, meeting: Meeting) -> str:
        return f"{self._base}/ics/{meeting.id}-{self._sign(meeting.uid)}.ics"

    def verify(self, uid: str, signature: str) -> bool:
        return hmac.compare_digest(self._sign(uid).encode(), signature.encode())


def calendar_feeds_from(settings: Settings) -> CalendarFeedLinks | None:
    if not settings.public_url or settings.link_secret is None:
        return None
    key = settings.link_secret.get_secret_value().encode()
    return CalendarFeedLinks(settings.public_url, key)


def content_disposition(name: str) -> str:
    """The readable name for browsers that take RFC 6266's ``filename*``, and
    an ASCII one for the rest."""
    ascii_name = name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


_NOT_FOUND = PlainTextResponse("No such calendar.", status_code=404)


class CalendarFeedComponent:
    """The ``/ics`` route as a part of ``meetbridge serve``."""

    name = "calendar-feed"

    def __init__(self, links: CalendarFeedLinks, files: CalendarFiles) -> None:
        self._links = links
        self._files = files

    @property
    def routes(self) -> Sequence[BaseRoute]:
        return [Route("/ics/{token}", self._ics, methods=["GET"])]

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def _ics(self, request: Request) -> Response:
        match = _TOKEN.fullmatch(request.path_params["token"])
        if match is None or int(match[1]) > _MAX_ID:
            return _NOT_FOUND
        found = await self._files.file_of(int(match[1]))
        # One answer for "no such meeting" and "wrong signature": a number
        # tells an outsider nothing.
        if found is None or not self._links.verify(found.uid, match[2]):
            return _NOT_FOUND
        return Response(
            found.content,
            media_type=MEDIA_TYPE,
            headers={
                "Content-Disposition": content_disposition(found.name),
                "Cache-Control": "private, no-cache",
                "X-Content-Type-Options": "nosniff",
            },
        )
