"""Checking request bodies the way the reference says the server does.

Functions here only read: they turn a body into clean fields or raise the
``ApiError`` the server would answer with. Limits that live on the state are
passed in per call, because tests change them while the sandbox runs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, TypeGuard

from adapters.trueconf.sandbox.errors import ApiError, invalid
from adapters.trueconf.sandbox.records import SandboxUser, require_user
from bot.clock import Clock
from bot.schedule import Weekday

DAY_NAMES = tuple(day.api_name for day in Weekday)
_CONFERENCE_ID = re.compile(r"^[0-9A-Za-z_]{1,128}$")
MAX_PIN_LENGTH = 64
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def _int(value: Any) -> TypeGuard[int]:
    # JSON ``true`` arrives as a Python bool, which is an int; the server rejects it.
    return isinstance(value, int) and not isinstance(value, bool)


def conference_body(body: Any) -> dict[str, Any]:
    """The body of a create or edit, which must be a Conference object."""
    if not isinstance(body, dict):
        raise invalid("body", "The request body must be a Conference object.")
    return body


def required_id(body: Any, key: str) -> str:
    """The non-empty string ``body[key]`` that names a user."""
    ident = body.get(key) if isinstance(body, dict) else None
    if not isinstance(ident, str) or not ident:
        raise invalid(key, "Missing required field.", missing=True)
    return ident


def custom_conference_id(raw: Any) -> str | None:
    """The id a create asks for, if any; whether it is taken is the state's call."""
    if raw is not None and (not isinstance(raw, str) or not _CONFERENCE_ID.match(raw)):
        raise invalid("id", "id may contain digits, Latin letters and underscores.")
    return raw


def invite_idents(body: Any, version: tuple[int, int]) -> list[str]:
    """The user ids of ``POST /invite``: v3.5+ send ``invitations`` objects, v3.1-v3.4
    a ``participants`` list of ids."""
    key = "invitations" if version >= (3, 5) else "participants"
    raw = body.get(key) if isinstance(body, dict) else None
    if not isinstance(raw, list) or not raw:
        raise invalid(key, "Missing required field.", missing=True)
    if key == "invitations":
        idents = [i.get("id") if isinstance(i, dict) else None for i in raw]
    else:
        idents = list(raw)
    if any(not isinstance(i, str) or not i for i in idents):
        raise invalid(key, f"Every {key} entry needs a user id.")
    return [str(i) for i in idents]


def client_login(raw: str | None, users: Mapping[str, SandboxUser]) -> str:
    """The login to authorise: ``$Name`` and ``2$id*Name`` are guests, else a server user."""
    if not raw:
        return ""
    if raw.startswith("$"):
        return f"*guest*{raw[1:]}"
    if raw.startswith("2$") and "*" in raw:
        return f"*guest*{raw.split('*', 1)[1]}"
    return require_user(users, raw).login


def validate_schedule(raw: Any, clock: Clock) -> dict[str, Any]:
    if not isinstance(raw, dict) or raw.get("type") not in (-1, 0, 1):
        raise invalid("schedule", "Schedule type must be -1, 0 or 1.")
    kind = raw["type"]
    if kind == -1:
        return {"type": -1}
    duration = raw.get("duration")
    if not _int(duration) or duration <= 0:
        raise invalid("schedule.duration", "Duration must be a positive number of seconds.")
    if kind == 1:
        start = raw.get("start_time")
        if start == -1:  # "now", resolved once so the stored schedule is fixed
            start = int(clock.now().timestamp())
        if not _int(start) or start <= 0:
            raise invalid("schedule.start_time", "start_time must be a Unix timestamp.")
        return {"type": 1, "start_time": start, "duration": duration}
    days, at = raw.get("days"), raw.get("time")
    if (
        not isinstance(days, list)
        or not days
        or any(d not in DAY_NAMES for d in days)
        or len(set(days)) != len(days)
    ):
        raise invalid("schedule.days", "days must list distinct lowercase English day names.")
    if not isinstance(at, str) or not _HHMM.match(at):
        raise invalid("schedule.time", "time must be hh:mm in 24-hour format.")
    return {"type": 0, "days": list(days), "time": at, "duration": duration}


def validate_invitations(raw: Any, users: Mapping[str, SandboxUser]) -> list[str]:
    """Invitation objects as distinct logins, in the order given."""
    if not isinstance(raw, list):
        raise invalid("invitations", "invitations must be a list of invitation objects.")
    logins: list[str] = []
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise invalid("invitations", "Each invitation needs an id.")
        user = require_user(users, item["id"])
        if user.login not in logins:
            logins.append(user.login)
    return logins


def _sized_string(body: Mapping[str, Any], field: str, longest: int, *, creating: bool) -> str:
    """A string field of 1..``longest`` characters, as the Conference object sizes them."""
    value = body.get(field)
    if value is None and creating:
        raise invalid(field, "Missing required field.", missing=True)
    if not isinstance(value, str) or not 1 <= len(value) <= longest:
        raise invalid(field, f"{field} must be 1..{longest} characters.")
    return value


def validate_fields(  # noqa: C901 (one check per documented field, in the reference's order)
    body: Mapping[str, Any],
    *,
    creating: bool,
    users: Mapping[str, SandboxUser],
    clock: Clock,
    max_participants_limit: int,
) -> dict[str, Any]:
    """The Conference fields a body sets, checked; a create must set the required ones."""
    out: dict[str, Any] = {}
    if "topic" in body or creating:
        out["topic"] = _sized_string(body, "topic", 240, creating=creating)
    if "owner" in body or creating:
        owner = _sized_string(body, "owner", 64, creating=creating)
        out["owner"] = require_user(users, owner).login
    if "schedule" in body or creating:
        if "schedule" not in body:
            raise invalid("schedule", "Missing required field.", missing=True)
        out["schedule"] = validate_schedule(body["schedule"], clock)
    if "type" in body:
        if body["type"] not in (0, 1, 3):
            raise invalid("type", "type must be 0, 1 or 3.")
        out["type"] = body["type"]
    if "invitations" in body:
        out["invitations"] = validate_invitations(body["invitations"], users)
    if "max_participants" in body:
        value = body["max_participants"]
        if not _int(value) or not 1 <= value <= max_participants_limit:
            raise invalid("max_participants", "max_participants is out of range.")
        out["max_participants"] = value
    if "auto_invite" in body:
        if body["auto_invite"] not in (0, 1, 2):
            raise invalid("auto_invite", "auto_invite must be 0, 1 or 2.")
        out["auto_invite"] = body["auto_invite"]
    if "pin" in body:
        pin = body["pin"]
        if pin is not None and (not isinstance(pin, str) or not 1 <= len(pin) <= MAX_PIN_LENGTH):
            raise invalid("pin", "pin must be a string.")
        out["pin"] = pin
    for flag in ("allow_guests",):
        if flag in body:
            if not isinstance(body[flag], bool):
                raise invalid(flag, f"{flag} must be a boolean.")
            out[flag] = body[flag]
    if "state" in body:
        # The Conference object marks state as POST-able: a conference can be
        # created already running (the guest-access article does exactly that).
        if body["state"] not in ("running", "stopped"):
            raise invalid("state", 'state must be "running" or "stopped".')
        out["state"] = body["state"]
    if "description" in body:
        if not isinstance(body["description"], str):
            raise invalid("description", "description must be a string.")
        out["description"] = body["description"]
    return out


def owner_not_invited() -> ApiError:
    # Both a create/edit and an uninvite of the owner answer with this.
    return ApiError(
        400,
        "conferenceOwnerNotInInvitationsList",
        "The conference owner must be included in the invitation list.",
    )


def check_invitations(
    owner: str, invitations: list[str], limit: int | None, max_participants_limit: int
) -> None:
    """The owner is invited, and no more users than the conference (or server) allows."""
    if owner not in invitations:
        raise owner_not_invited()
    if len(invitations) > (limit or max_participants_limit):
        raise ApiError(
            400,
            "conferenceMaxInvitationsLimit",
            "Conference invitations maximum (max_participants) reached.",
        )
