"""A thin async client for Callaba's rooms API (``/api/conferences/*``).

Returns decoded JSON objects; ``backend.py`` maps them to core types. The
token travels only in the ``x-access-token`` header. Reads, updates and
removals are retried on timeouts, connection errors and 5xx answers; creation
is sent once, because a lost answer must not create a second room.
"""

from __future__ import annotations

import asyncio
from http import HTTPStatus
from typing import Any

import httpx
from pydantic import SecretStr

from adapters.callaba.errors import error_from_response
from adapters.httpclient import Sleep, idempotent_retrying, unreachable
from bot.errors import BackendError, BackendUnavailable, Refusal

JSON = dict[str, Any]
PREFIX = "/api/conferences/"
# Every path this client calls (for metrics): PREFIX + one action.
ENDPOINT_WORDS = frozenset(
    {"api", "conferences", "create", "update", "remove", "getAll", "getById"}
)


class CallabaClient:
    def __init__(
        self,
        http: httpx.AsyncClient,
        token: SecretStr,
        *,
        retry_attempts: int = 3,
        backoff_initial: float = 0.25,
        backoff_max: float = 4.0,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._http = http
        self._token = token
        self._retry_attempts = max(1, retry_attempts)
        self._backoff_initial = backoff_initial
        self._backoff_max = backoff_max
        self._sleep = sleep

    def __repr__(self) -> str:
        return f"CallabaClient(base_url={str(self._http.base_url)!r})"

    @property
    def base_url(self) -> str:
        return str(self._http.base_url).rstrip("/")

    # -- transport -------------------------------------------------------------

    async def _send_once(self, method: str, action: str, body: object | None) -> Any:
        token = self._token.get_secret_value()
        try:
            response = await self._http.request(
                method, PREFIX + action, json=body, headers={"x-access-token": token}
            )
        except httpx.TimeoutException as exc:
            raise BackendUnavailable(
                "timeout", f"{action} timed out", refusal=Refusal.TIMEOUT
            ) from exc
        except httpx.TransportError as exc:
            raise unreachable(exc) from exc
        if response.status_code >= HTTPStatus.BAD_REQUEST:
            raise error_from_response(response, (token,))
        try:
            return response.json()
        except ValueError as exc:
            raise BackendError(
                "invalidResponse", f"{action}: answer is not JSON", refusal=Refusal.INVALID_RESPONSE
            ) from exc

    async def _call(
        self, method: str, action: str, body: object | None, *, idempotent: bool
    ) -> Any:
        if not idempotent:
            return await self._send_once(method, action, body)
        retrying = idempotent_retrying(
            self._retry_attempts,
            backoff_initial=self._backoff_initial,
            backoff_max=self._backoff_max,
            sleep=self._sleep,
        )
        async for attempt in retrying:
            with attempt:
                return await self._send_once(method, action, body)
        raise AssertionError("tenacity either returns or reraises")  # pragma: no cover

    @staticmethod
    def _room(payload: Any, action: str) -> JSON:
        if not isinstance(payload, dict):
            raise BackendError(
                "invalidResponse",
                f"{action}: answer is not a room",
                refusal=Refusal.INVALID_RESPONSE,
            )
        return payload

    @staticmethod
    def _checked_id(room_id: str) -> str:
        if not room_id:
            raise BackendError("invalidRequest", "empty room id", refusal=Refusal.INVALID_REQUEST)
        return room_id

    # -- rooms -----------------------------------------------------------------

    async def create(self, body: JSON) -> JSON:
        """POST /api/conferences/create; the answer carries the new ``_id``."""
        room = self._room(await self._call("POST", "create", body, idempotent=False), "create")
        if not isinstance(room.get("_id"), str) or not room["_id"]:
            raise BackendError(
                "invalidResponse", "create: answer has no '_id'", refusal=Refusal.INVALID_RESPONSE
            )
        return room

    async def update(self, room_id: str, changes: JSON) -> JSON:
        """POST /api/conferences/update with ``id`` and the fields to change.
        Setting the same fields twice gives the same room: safe to retry."""
        body = {"id": self._checked_id(room_id), **changes}
        return self._room(await self._call("POST", "update", body, idempotent=True), "update")

    async def remove(self, room_id: str) -> None:
        """DELETE /api/conferences/remove; answers ``{"success": true}``."""
        body = {"id": self._checked_id(room_id)}
        payload = await self._call("DELETE", "remove", body, idempotent=True)
        if not isinstance(payload, dict) or payload.get("success") is not True:
            raise BackendError(
                "serverError", "remove: the server did not confirm", refusal=Refusal.SERVER_ERROR
            )

    async def get_all(self) -> list[JSON]:
        """POST /api/conferences/getAll: every room (the API has no paging)."""
        payload = await self._call("POST", "getAll", None, idempotent=True)
        if not isinstance(payload, list):
            raise BackendError(
                "invalidResponse", "getAll: answer is not a list", refusal=Refusal.INVALID_RESPONSE
            )
        return [room for room in payload if isinstance(room, dict)]

    async def get_by_id(self, room_id: str) -> JSON:
        """POST /api/conferences/getById. The documented answer has no ``_id``."""
        body = {"id": self._checked_id(room_id)}
        payload = await self._call("POST", "getById", body, idempotent=True)
        if payload is None:  # some servers answer an unknown id with null
            raise BackendError(
                "conferenceNotFound",
                "getById: no such room",
                status=404,
                refusal=Refusal.NOT_FOUND,
            )
        return self._room(payload, "getById")
