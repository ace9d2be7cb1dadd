"""Between the core's conference terms and Callaba's room JSON."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from bot.meeting import Conference, ConferenceSpec, JoinInfo

MEDIA_TYPE = "MEDIA_TYPE_VIDEO_AUDIO"
DEFAULT_MAX_PARTICIPANTS = 50


def room_body(spec: ConferenceSpec, *, active: bool | None = None) -> dict[str, Any]:
    """The fields of ``/api/conferences/create`` or ``/update``. ``active`` is left
    out of an update so that changing a topic does not switch a room on or off."""
    body: dict[str, Any] = {
        "name": spec.topic,
        "mediaType": MEDIA_TYPE,
        "max_participants": spec.max_participants or DEFAULT_MAX_PARTICIPANTS,
    }
    if active is not None:
        body["active"] = active
    return body


def join_info(base_url: str, room_id: str) -> JoinInfo:
    """Callaba offers two links: speaker mode and view-only mode. No app
    deeplinks, SIP or H.323, so those stay empty and cards leave them out."""
    encoded = quote(room_id, safe="")
    return JoinInfo(
        browser_url=f"{base_url}/conferences/{encoded}",
        view_url=f"{base_url}/conferences-view-mode/{encoded}",
    )


def conference_from_room(room: Mapping[str, Any], room_id: str, base_url: str) -> Conference:
    """``room_id`` is passed in: ``getById`` answers without ``_id``."""
    name = room.get("name")
    return Conference(
        conference_id=room_id,
        topic=name if isinstance(name, str) else "",
        # An active room is open to join: the core's "running".
        state="running" if room.get("active") is True else "stopped",
        join=join_info(base_url, room_id),
    )
