"""A thin async client for the TrueConf Server REST API (v3.x).

Returns decoded JSON objects; ``backend.py`` maps them to core types. Every
path segment is percent-encoded, the token travels only in the
``Authorization`` header, and only idempotent calls are retried.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from adapters.httpclient import Sleep, idempotent_retrying, unreachable
from adapters.trueconf.auth import TrueConfAuth
from adapters.trueconf.errors import error_from_response, error_reasons
from bot.errors import BackendAuthError, BackendError, BackendUnavailable, Refusal

JSON = dict[str, Any]

DEFAULT_API_VERSION = "v3.10"
DEFAULT_PAGE_SIZE = 200
_IDEMPOTENT = frozenset({"GET", "PUT", "DELETE"})
_VERSION = re.compile(r"^v(\d+)\.(\d+)$")
# The API's own path words: everything else in a path is an id (for metrics).
ENDPOINT_WORDS = frozenset(
    {
        "api",
        "oauth2",
        "token",
        "conferences",
        "run",
        "stop",
        "invitations",
        "invite",
        "participants",
        "software",
        "clients",
        "calendars",
        "ics",
        "users",
        "logs",
        "calls",
        "records",
    }
)


def parse_api_version(version: str) -> tuple[int, int]:
    match = _VERSION.match(version)
    if match is None:
        raise ValueError(f"TrueConf API version must look like v3.10, not {version!r}")
    return int(match.group(1)), int(match.group(2))


def encode_path(*segments: str) -> str:
    """Join path segments, percent-encoding each one completely (``/``, ``@``, ``#``...).

    ``.`` and ``..`` are encoded too: URL normalisation would otherwise drop them."""
    return "/".join(
        segment.replace(".", "%2E") if segment in (".", "..") else quote(segment, safe="")
        for segment in segments
    )


def _token_refused(response: httpx.Response) -> bool:
    if response.status_code == HTTPStatus.UNAUTHORIZED:
        return True
    if response.status_code != HTTPStatus.FORBIDDEN:
        return False
    try:
        payload = response.json()
    except ValueError:
        return False
    return "accessTokenInvalid" in error_reasons(payload)


class TrueConfClient:
    """Calls the TrueConf API through an injected ``httpx.AsyncClient``.

    ``retry_attempts`` bounds the attempts of idempotent calls (GET/PUT/DELETE)
    on timeouts, connection errors and 5xx answers; POSTs are sent once.
    """

    def __init__(
        self,
        http: httpx.AsyncClient,
        auth: TrueConfAuth,
        *,
        api_version: str = DEFAULT_API_VERSION,
        retry_attempts: int = 3,
        backoff_initial: float = 0.25,
        backoff_max: float = 4.0,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._version = parse_api_version(api_version)
        self._http = http
        self._auth = auth
        self._prefix = f"/api/{api_version}/"
        self._retry_attempts = max(1, retry_attempts)
        self._backoff_initial = backoff_initial
        self._backoff_max = backoff_max
        self._sleep = sleep

    def __repr__(self) -> str:
        return f"TrueConfClient(base_url={str(self._http.base_url)!r}, api={self._prefix!r})"

    @property
    def api_version(self) -> tuple[int, int]:
        return self._version

    @property
    def server_host(self) -> str:
        return self._http.base_url.host

    # -- transport -------------------------------------------------------------

    async def _send_once(
        self,
        method: str,
        path: str,
        params: Mapping[str, str | int] | None,
        json: object | None,
    ) -> httpx.Response:
        """One authenticated request; on a refused token, one fresh-token retry."""
        response = await self._send_with_token(method, path, params, json, await self._auth.token())
        if _token_refused(response):
            refused = response.request.headers.get("Authorization", "").removeprefix("Bearer ")
            self._auth.invalidate(refused)
            response = await self._send_with_token(
                method, path, params, json, await self._auth.token()
            )
        if response.status_code >= HTTPStatus.BAD_REQUEST:
            error = error_from_response(response, self._auth.secrets)
            if _token_refused(response):
                raise BackendAuthError(
                    "accessTokenInvalid",
                    error.detail,
                    status=error.status,
                    refusal=Refusal.ACCESS_REFUSED,
                )
            raise error
        return response

    async def _send_with_token(
        self,
        method: str,
        path: str,
        params: Mapping[str, str | int] | None,
        json: object | None,
        token: str,
    ) -> httpx.Response:
        try:
            return await self._http.request(
                method,
                path,
                params=dict(params) if params else None,
                json=json,
                headers={"Authorization": f"Bearer {token}"},
            )
        except httpx.TimeoutException as exc:
            raise BackendUnavailable(
                "timeout", f"{method} timed out", refusal=Refusal.TIMEOUT
            ) from exc
        except httpx.TransportError as exc:
            raise unreachable(exc, "TRUECONF_CA_BUNDLE") from exc

    async def request(
        self,
        method: str,
        *segments: str,
        params: Mapping[str, str | int] | None = None,
        json: object | None = None,
    ) -> httpx.Response:
        """Send ``method`` to ``/api/<version>/<segments...>``; raise typed errors."""
        if not all(segments):
            # An empty id would silently address the parent collection.
            raise BackendError(
                "invalidRequest",
                "empty identifier in the request path",
                refusal=Refusal.INVALID_REQUEST,
            )
        path = self._prefix + encode_path(*segments)
        if method not in _IDEMPOTENT:
            return await self._send_once(method, path, params, json)
        retrying = idempotent_retrying(
            self._retry_attempts,
            backoff_initial=self._backoff_initial,
            backoff_max=self._backoff_max,
            sleep=self._sleep,
        )
        async for attempt in retrying:
            with attempt:
                return await self._send_once(method, path, params, json)
        raise AssertionError("tenacity either returns or reraises")  # pragma: no cover

    async def _json(
        self,
        method: str,
        *segments: str,
        params: Mapping[str, str | int] | None = None,
        json: object | None = None,
    ) -> JSON:
        response = await self.request(method, *segments, params=params, json=json)
        try:
            payload = response.json()
        except ValueError as exc:
            raise BackendError(
                "invalidResponse", "answer is not JSON", refusal=Refusal.INVALID_RESPONSE
            ) from exc
        if not isinstance(payload, dict):
            raise BackendError(
                "invalidResponse", "answer is not a JSON object", refusal=Refusal.INVALID_RESPONSE
            )
        return payload

    @staticmethod
    def _field(payload: JSON, name: str, kind: type) -> Any:
        value = payload.get(name)
        if not isinstance(value, kind):
            raise BackendError(
                "invalidResponse", f"answer has no {name!r}", refusal=Refusal.INVALID_RESPONSE
            )
        return value

    # -- conferences -----------------------------------------------------------

    async def create_conference(self, body: Mapping[str, Any]) -> JSON:
        """POST /conferences. Not retried: a lost answer must not create twice."""
        payload = await self._json("POST", "conferences", json=dict(body))
        return self._field(payload, "conference", dict)  # type: ignore[no-any-return]

    async def get_conference(self, conference_id: str) -> JSON:
        payload = await self._json("GET", "conferences", conference_id)
        return self._field(payload, "conference", dict)  # type: ignore[no-any-return]

    async def edit_conference(self, conference_id: str, body: Mapping[str, Any]) -> JSON:
        payload = await self._json("PUT", "conferences", conference_id, json=dict(body))
        return self._field(payload, "conference", dict)  # type: ignore[no-any-return]

    async def delete_conference(self, conference_id: str) -> None:
        await self._json("DELETE", "conferences", conference_id)

    async def run_conference(self, conference_id: str) -> str:
        payload = await self._json("POST", "conferences", conference_id, "run")
        return self._field(payload, "state", str)  # type: ignore[no-any-return]

    async def stop_conference(self, conference_id: str) -> str:
        payload = await self._json("POST", "conferences", conference_id, "stop")
        return self._field(payload, "state", str)  # type: ignore[no-any-return]

    async def check_credentials(self) -> None:
        """Obtain a token (cached if one is valid): the server answers and accepts us."""
        await self._auth.token()

    async def probe(self) -> None:
        """The cheapest authenticated call (one conference of the first page):
        the server answers and takes the token, even one cached from before.
        A refused token is fetched anew, which proves the credentials."""
        await self._json("GET", "conferences", params={"page_id": 1, "page_size": 1})

    async def list_conferences(self, *, page_size: int = DEFAULT_PAGE_SIZE) -> list[JSON]:
        """Every conference, page by page, until a short page."""
        return await self._all_pages(("conferences",), "conferences", page_size, {})

    # -- invitations and participants -----------------------------------------

    async def add_invitation(self, conference_id: str, login: str) -> JSON:
        payload = await self._json(
            "POST", "conferences", conference_id, "invitations", json={"id": login}
        )
        return self._field(payload, "invitation", dict)  # type: ignore[no-any-return]

    async def delete_invitation(self, conference_id: str, login: str) -> None:
        await self._json("DELETE", "conferences", conference_id, "invitations", login)

    async def list_invitations(self, conference_id: str) -> list[JSON]:
        payload = await self._json("GET", "conferences", conference_id, "invitations")
        items = self._field(payload, "invitations", list)
        return [item for item in items if isinstance(item, dict)]

    def invite_body(
        self, logins: Sequence[str], display_names: Mapping[str, str] | None = None
    ) -> JSON:
        """v3.5+ takes ``invitations`` objects; v3.1-v3.4 take ``participants`` logins."""
        if self._version < (3, 5):
            return {"participants": list(logins)}
        names = display_names or {}
        invitations = [{"id": login, "display_name": names.get(login, login)} for login in logins]
        return {"invitations": invitations}

    async def invite(
        self,
        conference_id: str,
        logins: Sequence[str],
        display_names: Mapping[str, str] | None = None,
    ) -> bool:
        """POST /conferences/{id}/invite: call people into a running conference."""
        body = self.invite_body(logins, display_names)
        payload = await self._json("POST", "conferences", conference_id, "invite", json=body)
        return bool(payload.get("invite", True))

    async def invite_participant(self, conference_id: str, participant_id: str) -> JSON:
        payload = await self._json(
            "POST",
            "conferences",
            conference_id,
            "participants",
            json={"participant_id": participant_id},
        )
        return self._field(payload, "participant", dict)  # type: ignore[no-any-return]

    async def participants(self, conference_id: str) -> list[JSON]:
        """GET /conferences/{id}/participants: who is in the conference now."""
        payload = await self._json("GET", "conferences", conference_id, "participants")
        items = self._field(payload, "participants", list)
        return [item for item in items if isinstance(item, dict)]

    # -- call logs and records ---------------------------------------------------

    async def call_logs(
        self, conference_id: str, *, page_size: int = DEFAULT_PAGE_SIZE
    ) -> list[JSON]:
        """GET /logs/calls for one conference (``named_conf_id``), every page;
        times in UTC (``timezone=0``)."""
        filters = {"named_conf_id": conference_id, "timezone": "0"}
        return await self._all_pages(("logs", "calls"), "list", page_size, filters)

    async def call_participants(
        self, session_id: str, *, page_size: int = DEFAULT_PAGE_SIZE
    ) -> list[JSON]:
        """GET /logs/calls/{session_id}/participants: who took part in a session."""
        return await self._all_pages(
            ("logs", "calls", session_id, "participants"), "list", page_size, {"timezone": "0"}
        )

    async def records(self, conference_id: str) -> list[JSON]:
        """GET /conferences/{id}/records: the conference's recordings."""
        payload = await self._json("GET", "conferences", conference_id, "records")
        items = self._field(payload, "records", list)
        return [item for item in items if isinstance(item, dict)]

    # -- join links and calendars ---------------------------------------------

    async def guest_clients(self, conference_id: str, display_name: str) -> JSON:
        """GET /software/clients for a guest: fresh join links (they expire in a minute)."""
        params = {
            "call_id": conference_id,
            "case": "join_conference_button",
            "user": f"${display_name}",
        }
        return await self._json("GET", "software", "clients", params=params)

    async def calendars(self, conference_id: str) -> dict[str, str]:
        payload = await self._json("GET", "conferences", conference_id, "calendars")
        links = self._field(payload, "calendars", dict)
        return {k: v for k, v in links.items() if isinstance(k, str) and isinstance(v, str)}

    async def ics(self, conference_id: str) -> bytes:
        response = await self.request("GET", "conferences", conference_id, "ics")
        return response.content

    # -- users -----------------------------------------------------------------

    async def get_user(self, login: str) -> JSON | None:
        """GET /users/{login}; ``None`` when the server does not know the user."""
        try:
            payload = await self._json("GET", "users", login)
        except BackendError as exc:
            if exc.reason == "userNotFound":
                return None
            raise
        return self._field(payload, "user", dict)  # type: ignore[no-any-return]

    async def list_users(
        self, *, page_size: int = DEFAULT_PAGE_SIZE, filters: Mapping[str, str] | None = None
    ) -> list[JSON]:
        """Every user matching ``filters``. The list has no total and no next page,
        so pages are read until one comes back shorter than ``page_size``."""
        return await self._all_pages(("users",), "users", page_size, dict(filters or {}))

    async def find_users_by_email(
        self, email: str, *, page_size: int = DEFAULT_PAGE_SIZE
    ) -> list[JSON]:
        """Users whose email equals ``email`` (case-insensitive); the server filter is looser."""
        wanted = email.strip().casefold()
        users = await self.list_users(page_size=page_size, filters={"email": email.strip()})
        return [u for u in users if str(u.get("email") or "").strip().casefold() == wanted]

    async def _all_pages(
        self, segments: tuple[str, ...], key: str, page_size: int, filters: dict[str, str]
    ) -> list[JSON]:
        items: list[JSON] = []
        page_id = 1
        while True:
            params: dict[str, str | int] = {**filters, "page_id": page_id, "page_size": page_size}
            payload = await self._json("GET", *segments, params=params)
            page = self._field(payload, key, list)
            items.extend(item for item in page if isinstance(item, dict))
            if len(page) < page_size:
                return items
            page_id += 1
