"""The sandbox server's memory and rules: tokens, users, conferences, guest links.

Every rule here mirrors one the TrueConf API reference states; answers are
built as the reference shows them. One lock guards the state because tests
read it from another thread than the one serving requests.
"""

from __future__ import annotations

import copy
import re
import secrets
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any, TypeGuard
from urllib.parse import parse_qs, quote, urlsplit

from adapters.trueconf.sandbox.calendar import calendar_links, ics_file
from adapters.trueconf.sandbox.errors import ApiError, invalid, not_found
from bot.clock import Clock, SystemClock
from bot.schedule import Weekday, Weekly
from bot.timerules import next_weekly_occurrence, offset_minutes

DAY_NAMES = tuple(day.api_name for day in Weekday)
_CONFERENCE_ID = re.compile(r"^[0-9A-Za-z_]{1,128}$")
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_EDITABLE_WHILE_RUNNING = frozenset({"description"})


@dataclass(frozen=True, slots=True)
class SandboxUser:
    login: str
    email: str
    display_name: str
    online: bool = True


DEFAULT_USERS: tuple[SandboxUser, ...] = tuple(
    SandboxUser(login, f"{login}@example.com", display)
    for login, display in (
        ("alice", "Alice Archer"),
        ("bob", "Bob Baker"),
        ("carol", "Carol Cooper"),
        ("dave", "Dave Dawson"),
        ("oncall", "On-call Engineer"),
        ("helen", "Helen Hughes"),
        ("admin", "Administrator"),
    )
)


@dataclass(frozen=True, slots=True)
class LoggedRequest:
    """One request as the sandbox saw it. ``endpoint`` is the route template,
    e.g. ``POST /conferences/{id}/invitations``; ``segments`` are decoded."""

    method: str
    path: str
    raw_path: str
    query: str
    segments: tuple[str, ...]
    endpoint: str
    at: datetime
    status: int
    authorization: str


@dataclass(slots=True)
class InjectedFailure:
    """Answer the next ``count`` matching requests with this failure instead.

    ``endpoint`` matches the route label exactly (``GET /users``) when given;
    otherwise any API request matches (the token endpoint only when named).
    ``body`` replaces the envelope; ``raw`` sends non-JSON bytes."""

    count: int = 1
    method: str | None = None
    endpoint: str | None = None
    status: int = 503
    reason: str = "serviceUnavailable"
    message: str = "Service Unavailable"
    body: Any = None
    raw: bytes | None = None

    def matches(self, method: str, endpoint: str) -> bool:
        if self.method is not None and self.method != method:
            return False
        if self.endpoint is not None:
            return endpoint == self.endpoint
        return not endpoint.endswith("/oauth2/v1/token")


@dataclass(slots=True)
class _Conference:
    id: str
    topic: str
    owner: str
    type: int
    schedule: dict[str, Any]
    invitations: list[str]
    created_at: int
    description: str = ""
    max_participants: int | None = None
    auto_invite: int = 0
    pin: str | None = None
    allow_guests: bool = False
    state: str = "stopped"
    participants: list[str] = field(default_factory=list)
    called: list[str] = field(default_factory=list)


class OAuthError(Exception):
    """A token endpoint refusal, in OAuth2's plain-string form."""

    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(f"{error}: {description}")
        self.status = status
        self.body = {"error": error, "error_description": description}


def _int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


class SandboxState:
    """In-memory TrueConf Server state. All times come from the injected clock."""

    def __init__(
        self,
        *,
        client_id: str = "meetbridge",
        client_secret: str | None = None,
        users: Iterable[SandboxUser] = DEFAULT_USERS,
        clock: Clock | None = None,
        token_lifetime: int = 3600,
        server_zone: str = "Europe/Moscow",
        server_ip: str = "127.0.0.1",
        guest_link_lifetime: int = 60,
        max_conferences: int | None = None,
        max_ongoing: int | None = None,
        max_participants_limit: int = 250,
        latency: float = 0.0,
    ) -> None:
        self.client_id = client_id
        self.client_secret = client_secret or secrets.token_urlsafe(24)
        self.clock: Clock = clock or SystemClock()
        self.token_lifetime = token_lifetime
        self.server_zone = server_zone
        self.server_ip = server_ip
        self.guest_link_lifetime = guest_link_lifetime
        self.max_conferences = max_conferences
        self.max_ongoing = max_ongoing
        self.max_participants_limit = max_participants_limit
        self.latency = latency
        self.users: dict[str, SandboxUser] = {u.login: u for u in users}
        self._lock = threading.RLock()
        self._tokens: dict[str, datetime] = {}
        self._guest_tokens: dict[str, datetime] = {}
        self._conferences: dict[str, _Conference] = {}
        self._failures: list[InjectedFailure] = []
        self._log: list[LoggedRequest] = []
        self.tokens_issued = 0

    def __repr__(self) -> str:
        return f"SandboxState(client_id={self.client_id!r}, conferences={len(self._conferences)})"

    # -- test controls ----------------------------------------------------------

    def inject_failure(self, failure: InjectedFailure) -> None:
        with self._lock:
            self._failures.append(failure)

    def take_failure(self, method: str, endpoint: str) -> InjectedFailure | None:
        with self._lock:
            for failure in self._failures:
                if failure.count > 0 and failure.matches(method, endpoint):
                    failure.count -= 1
                    return failure
            return None

    def revoke_tokens(self) -> None:
        """Forget every issued token, as a server restart or an admin would."""
        with self._lock:
            self._tokens.clear()

    def record(self, entry: LoggedRequest) -> None:
        with self._lock:
            self._log.append(entry)

    @property
    def request_log(self) -> list[LoggedRequest]:
        with self._lock:
            return list(self._log)

    def calls(self, endpoint: str | None = None, *, method: str | None = None) -> int:
        """How many requests hit ``endpoint`` (a route label such as ``POST /conferences``)."""
        with self._lock:
            return sum(
                1
                for e in self._log
                if (endpoint is None or e.endpoint == endpoint)
                and (method is None or e.method == method)
            )

    def clear_log(self) -> None:
        with self._lock:
            self._log.clear()

    def conference_ids(self) -> list[str]:
        with self._lock:
            return list(self._conferences)

    def raw_conference(self, conference_id: str) -> dict[str, Any] | None:
        """A copy of what the sandbox stored (for assertions), or ``None``."""
        with self._lock:
            conf = self._conferences.get(conference_id)
            if conf is None:
                return None
            return {
                "id": conf.id,
                "topic": conf.topic,
                "owner": conf.owner,
                "schedule": copy.deepcopy(conf.schedule),
                "invitations": list(conf.invitations),
                "state": conf.state,
                "participants": list(conf.participants),
                "called": list(conf.called),
                "pin": conf.pin,
                "auto_invite": conf.auto_invite,
                "max_participants": conf.max_participants,
            }

    # -- tokens ----------------------------------------------------------------

    def issue_token(self, form: Mapping[str, Any]) -> dict[str, Any]:
        grant = form.get("grant_type")
        if grant != "client_credentials":
            raise OAuthError(400, "unsupported_grant_type", f'Grant type "{grant}" not supported')
        client_id, secret = form.get("client_id"), form.get("client_secret")
        if not client_id or not secret:
            raise OAuthError(
                400, "invalid_client", "Client credentials were not found in the headers or body"
            )
        if client_id != self.client_id or not secrets.compare_digest(
            str(secret), self.client_secret
        ):
            raise OAuthError(401, "invalid_client", "The client credentials are invalid")
        with self._lock:
            token = secrets.token_hex(20)
            self._tokens[token] = self.clock.now() + timedelta(seconds=self.token_lifetime)
            self.tokens_issued += 1
        return {
            "access_token": token,
            "expires_in": self.token_lifetime,
            "token_type": "Bearer",
            "scope": "conferences conferences:read conferences:write users users:read",
        }

    def check_token(self, token: str | None) -> None:
        with self._lock:
            expires = self._tokens.get(token) if token else None
        if expires is None:
            raise ApiError(401, "accessTokenInvalid", "The access token provided is invalid")
        if self.clock.now() >= expires:
            raise ApiError(403, "accessTokenInvalid", "The access token provided has expired")

    # -- rendering -------------------------------------------------------------

    def _user(self, ident: Any) -> SandboxUser | None:
        if not isinstance(ident, str) or not ident:
            return None
        if ident in self.users:
            return self.users[ident]
        login, _, _server = ident.partition("@")
        return self.users.get(login) if _server else None

    def user_json(self, user: SandboxUser, host: str) -> dict[str, Any]:
        first, _, last = user.display_name.partition(" ")
        return {
            "id": user.login,
            "uid": f"{user.login}@{host}",
            "avatar": None,
            "login_name": user.login,
            "email": user.email,
            "display_name": user.display_name,
            "first_name": first,
            "last_name": last,
            "company": "",
            "groups": [],
            "mobile_phone": "",
            "work_phone": "",
            "home_phone": "",
            "is_active": 1,
            "status": 1 if user.online else 0,
        }

    def _schedule_json(self, schedule: dict[str, Any]) -> dict[str, Any]:
        if schedule["type"] == -1:
            return {"type": -1}
        if schedule["type"] == 1:
            return dict(schedule)
        now = self.clock.now()
        hour, minute = (int(p) for p in schedule["time"].split(":"))
        rule = Weekly(
            days=frozenset(Weekday[d.upper()] for d in schedule["days"]),
            at=time(hour, minute),
            zone=self.server_zone,
        )
        return {
            "type": 0,
            "start_time": int(next_weekly_occurrence(rule, now).timestamp()),
            "duration": schedule["duration"],
            "time": schedule["time"],
            "time_offset": offset_minutes(self.server_zone, now),
            "days": list(schedule["days"]),
        }

    def _conference_json(self, conf: _Conference, host: str, hostname: str) -> dict[str, Any]:
        cid, ip = conf.id, self.server_ip
        invitations = [
            {
                "id": login,
                "display_name": self.users[login].display_name if login in self.users else login,
            }
            for login in conf.invitations
        ]
        return {
            "id": cid,
            "type": conf.type,
            "topic": conf.topic,
            "owner": f"{conf.owner}@{hostname}",
            "description": conf.description,
            "max_podiums": conf.max_participants or self.max_participants_limit,
            "max_participants": conf.max_participants or self.max_participants_limit,
            "schedule": self._schedule_json(conf.schedule),
            "invitations": invitations,
            "created_at": conf.created_at,
            "url": f"https://{host}/c/{cid}",
            "webclient_url": f"https://{host}/webrtc/{cid}",
            "allow_guests": conf.allow_guests,
            "auto_invite": conf.auto_invite,
            "state": conf.state,
            "tags": [],
            "recording": 0,
            "stream_recording_state": 0,
            "stream_id": f"{cid}@{hostname}#vcs" if conf.state == "running" else None,
            "deeplinks": {
                "default": f"trueconf:\\c\\{cid}@{hostname}%23vcs&h={ip}",
                "android": (
                    f"intent:\\c\\{cid}%40{hostname}%23vcs%26h%3d{ip}"
                    "#Intent;scheme=trueconf;package=com.trueconf.videochat;end"
                ),
            },
            "connect_urls": {
                "sip_external": None,
                "sip": [f"00{cid}@{ip}"],
                "h323": [f"{ip}##00{cid}"],
            },
            "pin_enabled": conf.pin is not None,
            # The API client acts as the server administrator, so it sees the PIN.
            "pin": conf.pin,
            "participants_lock_enabled": None if conf.state != "running" else False,
            "origin_type": "restfulapi",
        }

    # -- validation ------------------------------------------------------------

    def _validate_schedule(self, raw: Any) -> dict[str, Any]:
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
            if start == -1:
                start = int(self.clock.now().timestamp())
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

    def _validate_fields(self, body: Mapping[str, Any], *, creating: bool) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if "topic" in body or creating:
            topic = body.get("topic")
            if topic is None and creating:
                raise invalid("topic", "Missing required field.", missing=True)
            if not isinstance(topic, str) or not 1 <= len(topic) <= 240:
                raise invalid("topic", "topic must be 1..240 characters.")
            out["topic"] = topic
        if "owner" in body or creating:
            owner = body.get("owner")
            if owner is None and creating:
                raise invalid("owner", "Missing required field.", missing=True)
            if not isinstance(owner, str) or not 1 <= len(owner) <= 64:
                raise invalid("owner", "owner must be 1..64 characters.")
            user = self._user(owner)
            if user is None:
                raise not_found("userNotFound", f"User {owner} is not found.")
            out["owner"] = user.login
        if "schedule" in body or creating:
            if "schedule" not in body:
                raise invalid("schedule", "Missing required field.", missing=True)
            out["schedule"] = self._validate_schedule(body["schedule"])
        if "type" in body:
            if body["type"] not in (0, 1, 3):
                raise invalid("type", "type must be 0, 1 or 3.")
            out["type"] = body["type"]
        if "invitations" in body:
            out["invitations"] = self._validate_invitations(body["invitations"])
        if "max_participants" in body:
            value = body["max_participants"]
            if not _int(value) or not 1 <= value <= self.max_participants_limit:
                raise invalid("max_participants", "max_participants is out of range.")
            out["max_participants"] = value
        if "auto_invite" in body:
            if body["auto_invite"] not in (0, 1, 2):
                raise invalid("auto_invite", "auto_invite must be 0, 1 or 2.")
            out["auto_invite"] = body["auto_invite"]
        if "pin" in body:
            pin = body["pin"]
            if pin is not None and (not isinstance(pin, str) or not 1 <= len(pin) <= 64):
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

    def _validate_invitations(self, raw: Any) -> list[str]:
        if not isinstance(raw, list):
            raise invalid("invitations", "invitations must be a list of invitation objects.")
        logins: list[str] = []
        for item in raw:
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                raise invalid("invitations", "Each invitation needs an id.")
            user = self._user(item["id"])
            if user is None:
                raise not_found("userNotFound", f"User {item['id']} is not found.")
            if user.login not in logins:
                logins.append(user.login)
        return logins

    def _check_invitations(
        self, conf_owner: str, invitations: list[str], limit: int | None
    ) -> None:
        if conf_owner not in invitations:
            raise ApiError(
                400,
                "conferenceOwnerNotInInvitationsList",
                "The conference owner must be included in the invitation list.",
            )
        if len(invitations) > (limit or self.max_participants_limit):
            raise ApiError(
                400,
                "conferenceMaxInvitationsLimit",
                "Conference invitations maximum (max_participants) reached.",
            )

    def _get(self, conference_id: str) -> _Conference:
        conf = self._conferences.get(conference_id)
        if conf is None:
            raise not_found("conferenceNotFound", f"Conference {conference_id} is not found.")
        return conf

    def _new_id(self) -> str:
        while True:
            candidate = f"{secrets.randbelow(10**10):010d}"
            if candidate not in self._conferences:
                return candidate

    # -- conferences -----------------------------------------------------------

    def create_conference(self, body: Any, host: str, hostname: str) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise invalid("body", "The request body must be a Conference object.")
        with self._lock:
            fields = self._validate_fields(body, creating=True)
            custom = body.get("id")
            if custom is not None:
                if not isinstance(custom, str) or not _CONFERENCE_ID.match(custom):
                    raise invalid("id", "id may contain digits, Latin letters and underscores.")
                if custom in self._conferences:
                    raise invalid("id", f"Conference {custom} already exists.")
            invitations = fields.get("invitations", [])
            self._check_invitations(fields["owner"], invitations, fields.get("max_participants"))
            if self.max_conferences is not None and len(self._conferences) >= self.max_conferences:
                raise ApiError(
                    400,
                    "conferenceLimit",
                    "You can't create more conferences, because the server has reached "
                    "the maximum number of conferences.",
                )
            conf = _Conference(
                id=custom or self._new_id(),
                topic=fields["topic"],
                owner=fields["owner"],
                type=fields.get("type", 0),
                schedule=fields["schedule"],
                invitations=invitations,
                created_at=int(self.clock.now().timestamp()),
                description=fields.get("description", ""),
                max_participants=fields.get("max_participants"),
                auto_invite=fields.get("auto_invite", 0),
                pin=fields.get("pin"),
                allow_guests=fields.get("allow_guests", False),
            )
            if fields.get("state") == "running":
                self._start(conf)
            self._conferences[conf.id] = conf
            return {"conference": self._conference_json(conf, host, hostname)}

    def get_conference(self, conference_id: str, host: str, hostname: str) -> dict[str, Any]:
        with self._lock:
            return {"conference": self._conference_json(self._get(conference_id), host, hostname)}

    def list_conferences(
        self, page_id: int, page_size: int, host: str, hostname: str
    ) -> dict[str, Any]:
        with self._lock:
            items = list(self._conferences.values())
            page = items[(page_id - 1) * page_size : page_id * page_size]
            return {
                "cnt": len(items),
                "conferences": [self._conference_json(c, host, hostname) for c in page],
            }

    def edit_conference(
        self, conference_id: str, body: Any, host: str, hostname: str
    ) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise invalid("body", "The request body must be a Conference object.")
        with self._lock:
            conf = self._get(conference_id)
            fields = self._validate_fields(body, creating=False)
            if conf.state == "running" and set(fields) - _EDITABLE_WHILE_RUNNING:
                raise ApiError(
                    400,
                    "conferenceFieldUnavailableForChange",
                    "Conference field unavailable for change during conference call.",
                )
            owner = fields.get("owner", conf.owner)
            invitations = fields.get("invitations", conf.invitations)
            self._check_invitations(
                owner, invitations, fields.get("max_participants", conf.max_participants)
            )
            for name, value in fields.items():
                setattr(conf, name, value)
            return {"conference": self._conference_json(conf, host, hostname)}

    @staticmethod
    def _ensure_not_running(conf: _Conference) -> None:
        if conf.state == "running":
            raise ApiError(
                400,
                "conferenceUnavailableForChange",
                f"A running conference {conf.id} unavailable for editing.",
            )

    def delete_conference(self, conference_id: str) -> dict[str, Any]:
        with self._lock:
            conf = self._get(conference_id)
            self._ensure_not_running(conf)
            del self._conferences[conference_id]
            return {"id": conference_id}

    def _start(self, conf: _Conference) -> None:
        ongoing = sum(1 for c in self._conferences.values() if c.state == "running")
        if self.max_ongoing is not None and ongoing >= self.max_ongoing:
            raise ApiError(
                400,
                "ongoingConferencesLimit",
                f"Maximum number of ongoing conferences ('{self.max_ongoing}') has been reached",
            )
        conf.state = "running"

    def run_conference(self, conference_id: str) -> dict[str, Any]:
        with self._lock:
            conf = self._get(conference_id)
            if conf.state == "running":
                return {"state": "running"}
            if conf.schedule["type"] == 1:
                end = conf.schedule["start_time"] + conf.schedule["duration"]
                if self.clock.now().timestamp() >= end:
                    raise ApiError(400, "conferenceIsFinished", "The conference is finished.")
            self._start(conf)
            return {"state": "running"}

    def stop_conference(self, conference_id: str) -> dict[str, Any]:
        with self._lock:
            conf = self._get(conference_id)
            if conf.state != "running":
                raise ApiError(
                    400, "conferenceIsNotRunning", f"Conference {conference_id} is not running."
                )
            conf.state = "stopped"
            conf.participants.clear()
            return {"state": "stopped"}

    # -- invitations and participants -----------------------------------------

    def _invitation_json(self, conf: _Conference, login: str, hostname: str) -> dict[str, Any]:
        user = self.users[login]
        return {
            **self.user_json(user, hostname),
            "is_owner": login == conf.owner,
            "type": "user",
            "translator": None,
        }

    def add_invitation(self, conference_id: str, body: Any, hostname: str) -> dict[str, Any]:
        with self._lock:
            conf = self._get(conference_id)
            ident = body.get("id") if isinstance(body, dict) else None
            if not isinstance(ident, str) or not ident:
                raise invalid("id", "Missing required field.", missing=True)
            user = self._user(ident)
            if user is None:
                raise not_found("userNotFound", f"User {ident} is not found.")
            if user.login not in conf.invitations:
                self._check_invitations(
                    conf.owner, [*conf.invitations, user.login], conf.max_participants
                )
                conf.invitations.append(user.login)
            return {"invitation": self._invitation_json(conf, user.login, hostname)}

    def list_invitations(self, conference_id: str, hostname: str) -> dict[str, Any]:
        with self._lock:
            conf = self._get(conference_id)
            return {
                "invitations": [self._invitation_json(conf, u, hostname) for u in conf.invitations]
            }

    def delete_invitation(self, conference_id: str, ident: str) -> dict[str, Any]:
        with self._lock:
            conf = self._get(conference_id)
            self._ensure_not_running(conf)
            user = self._user(ident)
            if user is None or user.login not in conf.invitations:
                raise not_found("invitationNotFound", f"Invitation {ident} is not found.")
            if user.login == conf.owner:
                raise ApiError(
                    400,
                    "conferenceOwnerNotInInvitationsList",
                    "The conference owner must be included in the invitation list.",
                )
            conf.invitations.remove(user.login)
            return {"id": ident}

    def invite(self, conference_id: str, body: Any, version: tuple[int, int]) -> dict[str, Any]:
        """POST /invite. v3.5+ read ``invitations`` objects; v3.1-v3.4 ``participants``."""
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
        with self._lock:
            conf = self._get(conference_id)
            if conf.state != "running":
                # Inviting into a stopped conference launches it (hence ongoingConferencesLimit).
                self._start(conf)
            conf.called.extend(str(i) for i in idents)
            return {"invite": True}

    def invite_participant(self, conference_id: str, body: Any, hostname: str) -> dict[str, Any]:
        ident = body.get("participant_id") if isinstance(body, dict) else None
        if not isinstance(ident, str) or not ident:
            raise invalid("participant_id", "Missing required field.", missing=True)
        with self._lock:
            conf = self._get(conference_id)
            if conf.state != "running":
                raise ApiError(
                    400, "conferenceIsNotRunning", f"Conference {conference_id} is not running."
                )
            user = self._user(ident)
            if user is None or not user.online:
                raise ApiError(
                    400, "participantIsUnavailable", f"Participant {ident} is unavailable."
                )
            if user.login in conf.participants:
                raise ApiError(
                    400,
                    "participantAlreadyInConference",
                    f"Participant {ident} already in conference.",
                )
            conf.participants.append(user.login)
            return {
                "participant": {"id": f"{user.login}@{hostname}", "display_name": user.display_name}
            }

    # -- join links and calendars ---------------------------------------------

    def software_clients(
        self, params: Mapping[str, str], host: str, hostname: str
    ) -> dict[str, Any]:
        call_id = params.get("call_id")
        with self._lock:
            conf = self._get(call_id) if call_id else None
            login = self._client_user(params.get("user"))
            token, password = self._guest_token()
        web_url = f"https://{host}/webrtc/{call_id or ''}"
        if login:
            web_url += f"#login={quote(login, safe='')}&token={quote(token, safe='')}&lang=auto"
        clients: list[dict[str, Any]] = [
            {
                "name": "TrueConf Windows",
                "type": "standalone",
                "platform": "windows",
                "download_url": f"https://{host}/downloads/trueconf_windows_client.exe",
                "download_urls": None,
                "market_url": "",
                "web_url": "https://trueconf.com/downloads/windows.html?lang=auto",
            },
            {
                "name": "TrueConf Android",
                "type": "standalone",
                "platform": "android",
                "download_url": f"https://{host}/downloads/trueconf_android_client.apk",
                "download_urls": None,
                "market_url": "https://play.google.com/store/apps/details?id=com.trueconf.videochat",
                "web_url": "https://trueconf.com/downloads/android.html?lang=auto",
            },
            {
                "name": "TrueConf Web",
                "type": "web",
                "platform": "webrtc",
                "download_url": "",
                "download_urls": None,
                "market_url": "",
                "web_url": web_url,
                "iframe": f'<iframe src="{web_url}" allowfullscreen="allowfullscreen" '
                'allow="microphone; camera; autoplay; display-capture"></iframe>',
            },
        ]
        answer: dict[str, Any] = {"clients": clients}
        if conf is not None and params.get("case") == "join_conference_button":
            ip = self.server_ip
            auth = f"&force=1&templogin=1&login={quote(login)}&password={quote(password)}"
            answer["deeplinks"] = {
                "default": f"trueconf:\\c\\{conf.id}@{hostname}%23vcs&h={ip}{auth}"
                "&encrypt=0&autoclose=1",
                "android": f"intent:\\c\\{conf.id}%40{hostname}%23vcs%26h%3d{ip}"
                f"{quote(auth, safe='')}%26encrypt%3d0%26autoclose%3d1"
                "#Intent;scheme=trueconf;package=com.trueconf.videochat;end",
            }
        return answer

    def _client_user(self, raw: str | None) -> str:
        """The login to authorise: ``$Name`` and ``2$id*Name`` are guests, else a server user."""
        if not raw:
            return ""
        if raw.startswith("$"):
            return f"*guest*{raw[1:]}"
        if raw.startswith("2$") and "*" in raw:
            return f"*guest*{raw.split('*', 1)[1]}"
        user = self._user(raw)
        if user is None:
            raise not_found("userNotFound", f"User {raw} is not found.")
        return user.login

    def _guest_token(self) -> tuple[str, str]:
        """A one-minute credential, shaped like the server's ``$2<hex>*<expiry>*<hex>``."""
        expires = self.clock.now() + timedelta(seconds=self.guest_link_lifetime)
        token = f"$2{secrets.token_hex(16)}*{int(expires.timestamp())}*{secrets.token_hex(16)}"
        self._guest_tokens[token] = expires
        return token, token

    def guest_link_valid(self, web_url: str) -> bool:
        """Whether a guest ``web_url`` would still let its holder in."""
        fragment = parse_qs(urlsplit(web_url).fragment)
        token = (fragment.get("token") or [""])[0]
        with self._lock:
            expires = self._guest_tokens.get(token)
        return expires is not None and self.clock.now() < expires

    def _window(self, conf: _Conference) -> tuple[datetime, datetime, list[str] | None]:
        schedule = self._schedule_json(conf.schedule)
        start_ts = schedule.get("start_time") or conf.created_at
        start = datetime.fromtimestamp(start_ts, UTC)
        end = start + timedelta(seconds=schedule.get("duration") or 3600)
        return start, end, schedule.get("days")

    def calendars(self, conference_id: str, host: str, version: str) -> dict[str, Any]:
        with self._lock:
            conf = self._get(conference_id)
            start, end, days = self._window(conf)
            return {
                "calendars": calendar_links(
                    topic=conf.topic,
                    page_url=f"https://{host}/c/{conf.id}",
                    ics_url=f"https://{host}/api/{version}/conferences/{conf.id}/ics",
                    start=start,
                    end=end,
                    weekly_days=days,
                    zone=self.server_zone,
                )
            }

    def ics(self, conference_id: str, host: str, hostname: str) -> bytes:
        with self._lock:
            conf = self._get(conference_id)
            start, end, days = self._window(conf)
            return ics_file(
                conference_id=conf.id,
                topic=conf.topic,
                page_url=f"https://{host}/c/{conf.id}",
                host=hostname,
                start=start,
                end=end,
                weekly_days=days,
                now=self.clock.now(),
            )

    # -- users -----------------------------------------------------------------

    def get_user(self, ident: str, hostname: str) -> dict[str, Any]:
        user = self._user(ident)
        if user is None:
            raise not_found("userNotFound", f"User {ident} is not found.")
        return {"user": self.user_json(user, hostname)}

    def list_users(
        self, page_id: int, page_size: int, filters: Mapping[str, str], hostname: str
    ) -> dict[str, Any]:
        """Like the real list: filters are case-insensitive substrings, and the
        answer carries neither a total nor a next page."""
        rows = [self.user_json(u, hostname) for u in self.users.values()]
        for name, wanted in filters.items():
            needle = wanted.casefold()
            rows = [r for r in rows if needle in str(r.get(name) or "").casefold()]
        return {"users": rows[(page_id - 1) * page_size : page_id * page_size]}
