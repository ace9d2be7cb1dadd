"""What the sandbox remembers of conferences' lives: who is in now, each
session (a run, from start to stop) with who joined and left when, and the
recordings; rendered as the reference's Participant, Call, CallParticipant
and Record objects. Times come from the sandbox's clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any


@dataclass(slots=True)
class Presence:
    """One person's stay in a session."""

    ident: str  # login, or "#guest:<n>" for a guest
    display_name: str
    joined: datetime
    left: datetime | None = None

    @property
    def guest(self) -> bool:
        return self.ident.startswith("#guest")


@dataclass(slots=True)
class Session:
    session_id: str
    conference_id: str
    topic: str
    owner: str
    started: datetime
    ended: datetime | None = None
    stays: list[Presence] = field(default_factory=list)

    def inside(self) -> list[Presence]:
        return [s for s in self.stays if s.left is None]


@dataclass(slots=True)
class SandboxRecord:
    conference_id: str
    name: str
    size: int
    created: datetime


def _log_time(moment: datetime | None) -> dict[str, Any] | None:
    """ObjectDataTime, in UTC (the bridge asks with ``timezone=0``)."""
    if moment is None:
        return None
    text = moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    return {"date": text, "timezone_type": 3, "timezone": "UTC"}


def participant_json(stay: Presence, hostname: str, owner: str) -> dict[str, Any]:
    return {
        "id": f"{stay.ident}@{hostname}",
        "login_name": stay.ident,
        "display_name": stay.display_name,
        "join_time": int(stay.joined.timestamp()),
        "status": 0 if stay.guest else 5,
        "is_owner": stay.ident == owner,
    }


def call_json(session: Session, hostname: str) -> dict[str, Any]:
    end = session.ended
    length = int(((end or session.started) - session.started).total_seconds())
    return {
        "conference_id": session.session_id,
        "named_conf_id": session.conference_id,
        "topic": session.topic,
        "class": 10,
        "type": 5,
        "subtype": 0,
        "owner": f"{session.owner}@{hostname}",
        "participant_count": len({s.ident for s in session.stays}),
        "start_time": _log_time(session.started),
        "duration": length,
        "end_time": _log_time(end),
        "term_reason": 10 if end is not None else 0,
    }


def call_participant_json(stay: Presence, hostname: str) -> dict[str, Any]:
    left = stay.left
    return {
        "app_id": "3D0DE845F8B9E478A10FBFF2BF751F31",
        "call_id": f"{stay.ident}@{hostname}",
        "display_name": stay.display_name,
        "duration": int(((left or stay.joined) - stay.joined).total_seconds()),
        "join_time": _log_time(stay.joined),
        "leave_reason": 1 if left is not None else 0,
        "leave_time": _log_time(left),
    }


def record_json(record: SandboxRecord, host: str, version: str) -> dict[str, Any]:
    return {
        "name": record.name,
        "size": str(record.size),
        "created": int(record.created.timestamp()),
        "download_url": (
            f"https://{host}/api/{version}/conferences/{record.conference_id}"
            f"/records/{record.name}/download"
        ),
    }


def session_json(session: Session, hostname: str) -> dict[str, Any]:
    """ObjectConferenceSession."""
    return {
        "stream_id": session.session_id,
        "conference_id": session.conference_id,
        "type": 5,
        "mode": 0,
        "topic": session.topic,
        "owner": f"{session.owner}@{hostname}",
        "start_time": int(session.started.timestamp()),
    }


def session_participant_json(stay: Presence, hostname: str, owner: str) -> dict[str, Any]:
    """ObjectConferenceSessionParticipant: the owner hosts (role 2), the rest
    see everyone on screen (role 0)."""
    ident = f"{stay.ident}@{hostname}"
    return {
        "participant_id": ident,
        "call_id": ident,
        "display_name": stay.display_name,
        "join_time": _log_time(stay.joined),
        "role": 2 if stay.ident == owner else 0,
    }
