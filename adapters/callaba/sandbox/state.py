"""The sandbox's memory: rooms, the request log and injected failures.

Locked, because tests read it from another thread than the one serving."""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from adapters.callaba.sandbox.rooms import ObjectIds, Room, RoomError, room_fields, room_id
from bot.clock import Clock, SystemClock

DEFAULT_MEDIA = "MEDIA_TYPE_VIDEO_AUDIO"
DEFAULT_MAX_PARTICIPANTS = 50


@dataclass(frozen=True, slots=True)
class LoggedCall:
    """One request as the sandbox saw it. ``action`` is ``create``, ``getById``...;
    ``token`` says whether the right ``x-access-token`` came (never its value)."""

    method: str
    action: str
    body: Any
    status: int
    token: bool
    at: datetime


@dataclass(slots=True)
class Failure:
    """Answer the next ``count`` requests for ``action`` (any when ``None``) with
    ``status`` and ``body`` (``{"message": ...}`` by default), or ``raw`` bytes."""

    count: int = 1
    action: str | None = None
    status: int = 503
    body: Any = None
    raw: bytes | None = None

    def matches(self, action: str) -> bool:
        return self.count > 0 and self.action in (None, action)


class CallabaState:
    def __init__(
        self, *, token: str | None = None, clock: Clock | None = None, latency: float = 0.0
    ) -> None:
        self.token = token or secrets.token_urlsafe(24)
        self.clock = clock or SystemClock()
        self.latency = latency  # seconds before every answer
        self.user_id = ObjectIds().next(self.clock.now())
        self._ids = ObjectIds()
        self._rooms: dict[str, Room] = {}
        self._log: list[LoggedCall] = []
        self._failures: list[Failure] = []
        self._lock = threading.Lock()

    # -- test controls ----------------------------------------------------------

    def inject(self, failure: Failure) -> None:
        with self._lock:
            self._failures.append(failure)

    def take_failure(self, action: str) -> Failure | None:
        with self._lock:
            for failure in self._failures:
                if failure.matches(action):
                    failure.count -= 1
                    return failure
            return None

    def record(self, call: LoggedCall) -> None:
        with self._lock:
            self._log.append(call)

    def log(self, action: str | None = None) -> list[LoggedCall]:
        with self._lock:
            return [c for c in self._log if action is None or c.action == action]

    def rooms(self) -> dict[str, dict[str, Any]]:
        """Every room as getAll would show it, by id."""
        with self._lock:
            return {room.id: room.full() for room in self._rooms.values()}

    # -- the API ----------------------------------------------------------------

    def _room(self, body: Any) -> Room:
        wanted = room_id(body)
        room = self._rooms.get(wanted)
        if room is None:
            raise RoomError(404, "Conference not found")
        return room

    def create(self, body: Any) -> dict[str, Any]:
        fields = room_fields(body, creating=True)
        with self._lock:
            room = Room(
                id=self._ids.next(self.clock.now()),
                name=fields["name"],
                user_id=self.user_id,
                media_type=fields.get("media_type", DEFAULT_MEDIA),
                max_participants=fields.get("max_participants", DEFAULT_MAX_PARTICIPANTS),
                active=fields.get("active", True),
            )
            self._rooms[room.id] = room
            return room.full()

    def update(self, body: Any) -> dict[str, Any]:
        fields = room_fields(body, creating=False)
        with self._lock:
            room = self._room(body)
            for name, value in fields.items():
                setattr(room, name, value)
            return room.full()

    def remove(self, body: Any) -> dict[str, Any]:
        with self._lock:
            del self._rooms[self._room(body).id]
            return {"success": True}

    def get_all(self, body: Any) -> list[dict[str, Any]]:  # noqa: ARG002 (as every method)
        with self._lock:
            return [room.full() for room in self._rooms.values()]

    def get_by_id(self, body: Any) -> dict[str, Any]:
        with self._lock:
            return self._room(body).short()
