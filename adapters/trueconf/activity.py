"""TrueConf's answers about a conference's life in the core's terms: who is
in (``participants``), its past sessions (``logs/calls``) and recordings.

Guests are told apart by their ids (``#guest:…``). Log times come as the
reference's ``ObjectDataTime`` (``{"date": "2018-04-11 15:17:43.649296",
"timezone": "Europe/London"}``), or as a plain string or Unix time in some
versions: each is read, anything else is taken as unknown."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.live.model import CallLog, Participant, Recording

_FORMATS = ("%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S")


def _is_guest(*idents: Any) -> bool:
    return any(isinstance(i, str) and i.startswith("#guest") for i in idents)


def participant_from_json(data: dict[str, Any]) -> Participant:
    ident = data.get("id") or data.get("call_id") or data.get("uid")
    login = data.get("login_name")
    name = data.get("display_name") or login or ident or "?"
    return Participant(str(name), guest=_is_guest(ident, login))


def _from_unix(value: Any) -> datetime | None:
    """A Unix time; ``None`` for anything else, a time ``datetime`` cannot
    hold (``10**20``, NaN) included."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def log_time(value: Any) -> datetime | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_unix(value)
    zone_name = "UTC"
    if isinstance(value, dict):
        zone_name = str(value.get("timezone") or "UTC")
        value = value.get("date")
    if not isinstance(value, str):
        return None
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    for form in _FORMATS:
        try:
            return datetime.strptime(value, form).replace(tzinfo=zone).astimezone(UTC)
        except ValueError:
            continue
    return None


def call_from_json(data: dict[str, Any], people: list[dict[str, Any]]) -> CallLog:
    return CallLog(
        session_id=str(data.get("conference_id") or ""),
        started=log_time(data.get("start_time")),
        ended=log_time(data.get("end_time")),
        participants=tuple(participant_from_json(p) for p in people),
    )


def record_from_json(data: dict[str, Any]) -> Recording:
    created = data.get("created")
    when = _from_unix(created) if isinstance(created, int) else None
    # download_url is an API URL that needs the application's token: people
    # cannot open it, so the summary names the file and sends them to an admin.
    return Recording(name=str(data.get("name") or "?"), created=when)
