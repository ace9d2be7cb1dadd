"""Rooms as the reference documents them, and the checks on their fields."""

from __future__ import annotations

import itertools
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

OBJECT_ID = re.compile(r"[0-9a-f]{24}")
MAX_NAME = 255


class RoomError(Exception):
    """An error answer: the status and Callaba's ``{"message": ...}`` body."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"{status} {message}")
        self.status = status
        self.message = message

    def body(self) -> dict[str, str]:
        return {"message": self.message}


class ObjectIds:
    """MongoDB-style ids: 4 bytes of seconds, 5 random bytes, a 3-byte counter."""

    def __init__(self) -> None:
        self._machine = secrets.token_bytes(5).hex()
        self._counter = itertools.count(secrets.randbelow(1 << 24))

    def next(self, now: datetime) -> str:
        seconds = int(now.timestamp()) & 0xFFFFFFFF
        return f"{seconds:08x}{self._machine}{next(self._counter) & 0xFFFFFF:06x}"


@dataclass(slots=True)
class Room:
    id: str
    name: str
    user_id: str
    media_type: str
    max_participants: int
    active: bool

    def full(self) -> dict[str, Any]:
        """The shape create, update and getAll answer with."""
        return {"_id": self.id, "user_id": self.user_id, **self.short()}

    def short(self) -> dict[str, Any]:
        """The shape getById answers with: no ``_id``, no ``user_id``."""
        return {
            "name": self.name,
            "mediaType": self.media_type,
            "max_participants": self.max_participants,
            "active": self.active,
        }


def room_id(body: Any) -> str:
    if not isinstance(body, dict) or "id" not in body:
        raise RoomError(400, "id is required")
    value = body["id"]
    if not isinstance(value, str) or OBJECT_ID.fullmatch(value) is None:
        raise RoomError(400, f"id must be an ObjectId, not {value!r}")
    return value


def room_fields(body: Any, *, creating: bool) -> dict[str, Any]:
    """The room fields of a create or update body, checked.

    The reference marks ``active`` required yet says it defaults to true: a
    create without it gets an active room."""
    if not isinstance(body, dict):
        raise RoomError(400, "the body must be a JSON object")
    fields: dict[str, Any] = {}
    if "name" in body or creating:
        name = body.get("name")
        if not isinstance(name, str) or not name.strip():
            raise RoomError(400, "name is required")
        if len(name) > MAX_NAME:
            raise RoomError(400, f"name is longer than {MAX_NAME} characters")
        fields["name"] = name
    if "active" in body:
        if not isinstance(body["active"], bool):
            raise RoomError(400, "active must be true or false")
        fields["active"] = body["active"]
    if "mediaType" in body:
        media = body["mediaType"]
        if not isinstance(media, str) or not media.startswith("MEDIA_TYPE_"):
            raise RoomError(400, "mediaType must be a MEDIA_TYPE_* value")
        fields["media_type"] = media
    if "max_participants" in body:
        limit = body["max_participants"]
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise RoomError(400, "max_participants must be a positive integer")
        fields["max_participants"] = limit
    return fields
