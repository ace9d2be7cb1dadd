"""The sandbox server's memory and rules: one facade over tokens, users, conferences.

Every rule here mirrors one the TrueConf API reference states; answers are
built as the reference shows them. Body checks live in ``validation``, JSON in
``render``, tokens in ``tokens`` and test controls in ``controls``; this
module keeps what changes the stored conferences. One lock guards the state
because tests read it from another thread than the one serving requests.
"""

from __future__ import annotations

import copy
import secrets
import threading
from collections.abc import Iterable, Mapping
from typing import Any

from adapters.trueconf.sandbox.calendar import calendar_links, ics_file
from adapters.trueconf.sandbox.controls import InjectedFailure, LoggedRequest, RequestControls
from adapters.trueconf.sandbox.errors import ApiError, invalid, not_found
from adapters.trueconf.sandbox.records import (
    DEFAULT_USERS,
    Conference,
    SandboxUser,
    find_user,
    require_user,
)
from adapters.trueconf.sandbox.render import Renderer, guest_token
from adapters.trueconf.sandbox.render import user_json as render_user_json
from adapters.trueconf.sandbox.sessions import (
    Presence,
    SandboxRecord,
    Session,
    call_json,
    call_participant_json,
    participant_json,
    record_json,
    session_json,
    session_participant_json,
)
from adapters.trueconf.sandbox.tokens import TokenStore
from adapters.trueconf.sandbox.validation import (
    check_invitations,
    client_login,
    conference_body,
    custom_conference_id,
    invite_idents,
    owner_not_invited,
    required_id,
    validate_fields,
)
from bot.clock import Clock, SystemClock

_EDITABLE_WHILE_RUNNING = frozenset({"description"})


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
        server_name: str = "trueconf.sandbox",
    ) -> None:
        self.client_id = client_id
        self.server_name = server_name  # as /api/v4/server gives it
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
        self._tokens = TokenStore()
        self._controls = RequestControls()
        self._conferences: dict[str, Conference] = {}
        self._sessions: list[Session] = []  # every run, oldest first (the call logs)
        self._records: list[SandboxRecord] = []
        self._guests = 0

    def __repr__(self) -> str:
        return f"SandboxState(client_id={self.client_id!r}, conferences={len(self._conferences)})"

    @property
    def tokens_issued(self) -> int:
        with self._lock:
            return self._tokens.issued

    @tokens_issued.setter
    def tokens_issued(self, value: int) -> None:
        # Settable as when it was a plain attribute, so a test can reset the count.
        with self._lock:
            self._tokens.issued = value

    @property
    def _render(self) -> Renderer:
        # Built per use so settings changed on the state show in the next answer.
        return Renderer(
            users=self.users,
            clock=self.clock,
            server_zone=self.server_zone,
            server_ip=self.server_ip,
            max_participants_limit=self.max_participants_limit,
        )

    # -- test controls ----------------------------------------------------------

    def inject_failure(self, failure: InjectedFailure) -> None:
        with self._lock:
            self._controls.inject(failure)

    def take_failure(self, method: str, endpoint: str) -> InjectedFailure | None:
        with self._lock:
            return self._controls.take(method, endpoint)

    def revoke_tokens(self) -> None:
        """Forget every issued token, as a server restart or an admin would."""
        with self._lock:
            self._tokens.revoke()

    def record(self, entry: LoggedRequest) -> None:
        with self._lock:
            self._controls.record(entry)

    @property
    def request_log(self) -> list[LoggedRequest]:
        with self._lock:
            return self._controls.entries()

    def calls(self, endpoint: str | None = None, *, method: str | None = None) -> int:
        """How many requests hit ``endpoint`` (a route label such as ``POST /conferences``)."""
        with self._lock:
            return self._controls.count(endpoint, method)

    def clear_log(self) -> None:
        with self._lock:
            self._controls.clear()

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
        with self._lock:
            return self._tokens.issue(
                form,
                client_id=self.client_id,
                client_secret=self.client_secret,
                lifetime=self.token_lifetime,
                now=self.clock.now(),
            )

    def check_token(self, token: str | None) -> None:
        with self._lock:
            self._tokens.check(token, self.clock.now())

    # -- lookups and rules shared by the endpoints ------------------------------

    def user_json(self, user: SandboxUser, host: str) -> dict[str, Any]:
        return render_user_json(user, host)

    def _get(self, conference_id: str) -> Conference:
        conf = self._conferences.get(conference_id)
        if conf is None:
            raise not_found("conferenceNotFound", f"Conference {conference_id} is not found.")
        return conf

    def _new_id(self) -> str:
        while True:
            candidate = f"{secrets.randbelow(10**10):010d}"
            if candidate not in self._conferences:
                return candidate

    def _check_invitations(self, owner: str, invitations: list[str], limit: int | None) -> None:
        check_invitations(owner, invitations, limit, self.max_participants_limit)

    @staticmethod
    def _ensure_not_running(conf: Conference) -> None:
        if conf.state == "running":
            raise ApiError(
                400,
                "conferenceUnavailableForChange",
                f"A running conference {conf.id} unavailable for editing.",
            )

    @staticmethod
    def _ensure_running(conf: Conference) -> None:
        if conf.state != "running":
            raise ApiError(400, "conferenceIsNotRunning", f"Conference {conf.id} is not running.")

    def _start(self, conf: Conference) -> None:
        ongoing = sum(1 for c in self._conferences.values() if c.state == "running")
        if self.max_ongoing is not None and ongoing >= self.max_ongoing:
            raise ApiError(
                400,
                "ongoingConferencesLimit",
                f"Maximum number of ongoing conferences ('{self.max_ongoing}') has been reached",
            )
        conf.state = "running"
        number = len(self._sessions) + 1
        self._sessions.append(
            Session(
                session_id=f"{number:08x}@{self.server_ip}#vcs",
                conference_id=conf.id,
                topic=conf.topic,
                owner=conf.owner,
                started=self.clock.now(),
            )
        )

    def _session(self, conf: Conference) -> Session | None:
        """The conference's session now running."""
        return next(
            (s for s in reversed(self._sessions) if s.conference_id == conf.id and s.ended is None),
            None,
        )

    def _end_session(self, conf: Conference) -> None:
        session = self._session(conf)
        if session is None:
            return
        now = self.clock.now()
        for stay in session.inside():
            stay.left = now
        session.ended = now

    def _enter(self, conf: Conference, ident: str, display_name: str) -> None:
        session = self._session(conf)
        if session is not None:
            session.stays.append(Presence(ident, display_name, self.clock.now()))
        if not ident.startswith("#guest"):
            conf.participants.append(ident)

    # -- conferences -----------------------------------------------------------

    def create_conference(self, body: Any, host: str, hostname: str) -> dict[str, Any]:
        body = conference_body(body)
        with self._lock:
            fields = validate_fields(
                body,
                creating=True,
                users=self.users,
                clock=self.clock,
                max_participants_limit=self.max_participants_limit,
            )
            custom = custom_conference_id(body.get("id"))
            if custom is not None and custom in self._conferences:
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
            conf = Conference(
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
            return {"conference": self._render.conference(conf, host, hostname)}

    def get_conference(self, conference_id: str, host: str, hostname: str) -> dict[str, Any]:
        with self._lock:
            return {"conference": self._render.conference(self._get(conference_id), host, hostname)}

    def list_conferences(
        self, page_id: int, page_size: int, host: str, hostname: str
    ) -> dict[str, Any]:
        with self._lock:
            items = list(self._conferences.values())
            page = items[(page_id - 1) * page_size : page_id * page_size]
            renderer = self._render
            return {
                "cnt": len(items),
                "conferences": [renderer.conference(c, host, hostname) for c in page],
            }

    def edit_conference(
        self,
        conference_id: str,
        body: Any,
        host: str,
        hostname: str,
        version: tuple[int, int] = (3, 10),
    ) -> dict[str, Any]:
        body = conference_body(body)
        with self._lock:
            conf = self._get(conference_id)
            if version < (3, 3):  # before v3.3 a running conference takes no edit at all
                self._ensure_not_running(conf)
            fields = validate_fields(
                body,
                creating=False,
                users=self.users,
                clock=self.clock,
                max_participants_limit=self.max_participants_limit,
            )
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
            return {"conference": self._render.conference(conf, host, hostname)}

    def delete_conference(self, conference_id: str) -> dict[str, Any]:
        with self._lock:
            conf = self._get(conference_id)
            self._ensure_not_running(conf)
            del self._conferences[conference_id]
            return {"id": conference_id}

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
            self._ensure_running(conf)
            conf.state = "stopped"
            conf.participants.clear()
            self._end_session(conf)
            return {"state": "stopped"}

    # -- invitations and participants -----------------------------------------

    def add_invitation(self, conference_id: str, body: Any, hostname: str) -> dict[str, Any]:
        with self._lock:
            conf = self._get(conference_id)
            user = require_user(self.users, required_id(body, "id"))
            if user.login not in conf.invitations:
                self._check_invitations(
                    conf.owner, [*conf.invitations, user.login], conf.max_participants
                )
                conf.invitations.append(user.login)
            return {"invitation": self._render.invitation(conf, user.login, hostname)}

    def list_invitations(self, conference_id: str, hostname: str) -> dict[str, Any]:
        with self._lock:
            conf = self._get(conference_id)
            renderer = self._render
            return {
                "invitations": [renderer.invitation(conf, u, hostname) for u in conf.invitations]
            }

    def delete_invitation(self, conference_id: str, ident: str) -> dict[str, Any]:
        with self._lock:
            conf = self._get(conference_id)
            self._ensure_not_running(conf)
            user = find_user(self.users, ident)
            if user is None or user.login not in conf.invitations:
                raise not_found("invitationNotFound", f"Invitation {ident} is not found.")
            if user.login == conf.owner:
                raise owner_not_invited()
            conf.invitations.remove(user.login)
            return {"id": ident}

    def invite(self, conference_id: str, body: Any, version: tuple[int, int]) -> dict[str, Any]:
        """POST /invite. v3.5+ read ``invitations`` objects; v3.1-v3.4 ``participants``."""
        idents = invite_idents(body, version)
        with self._lock:
            conf = self._get(conference_id)
            if conf.state != "running":
                # Inviting into a stopped conference launches it (hence ongoingConferencesLimit).
                self._start(conf)
            conf.called.extend(idents)
            return {"invite": True}

    def invite_participant(self, conference_id: str, body: Any, hostname: str) -> dict[str, Any]:
        ident = required_id(body, "participant_id")
        with self._lock:
            conf = self._get(conference_id)
            self._ensure_running(conf)
            user = find_user(self.users, ident)
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
            self._enter(conf, user.login, user.display_name)
            return {
                "participant": {"id": f"{user.login}@{hostname}", "display_name": user.display_name}
            }

    # -- people in conferences, call logs, records ---------------------------------

    def join(self, conference_id: str, who: str) -> None:
        """Test and demo control: ``who`` (a login) comes into the running
        conference from their app, as if they had opened the link."""
        with self._lock:
            conf = self._get(conference_id)
            self._ensure_running(conf)
            user = require_user(self.users, who)
            if user.login not in conf.participants:
                self._enter(conf, user.login, user.display_name)

    def join_guest(self, conference_id: str, display_name: str) -> str:
        """Test and demo control: a guest comes in; returns the guest's id."""
        with self._lock:
            conf = self._get(conference_id)
            self._ensure_running(conf)
            self._guests += 1
            ident = f"#guest:{self._guests:08x}"
            self._enter(conf, ident, display_name)
            return ident

    def leave(self, conference_id: str, who: str) -> None:
        """Test and demo control: ``who`` (a login or guest id) leaves."""
        with self._lock:
            conf = self._get(conference_id)
            session = self._session(conf)
            for stay in session.inside() if session is not None else []:
                if stay.ident == who:
                    stay.left = self.clock.now()
            if who in conf.participants:
                conf.participants.remove(who)

    def add_record(self, conference_id: str, name: str, size: int = 202018) -> None:
        """Test and demo control: the server recorded the conference."""
        with self._lock:
            conf = self._get(conference_id)
            self._records.append(SandboxRecord(conf.id, name, size, self.clock.now()))

    def list_participants(self, conference_id: str, hostname: str) -> dict[str, Any]:
        with self._lock:
            conf = self._get(conference_id)
            session = self._session(conf)
            inside = session.inside() if session is not None else []
            return {"participants": [participant_json(p, hostname, conf.owner) for p in inside]}

    def list_records(self, conference_id: str, host: str, version: str) -> dict[str, Any]:
        with self._lock:
            conf = self._get(conference_id)
            mine = [r for r in self._records if r.conference_id == conf.id]
            return {"records": [record_json(r, host, version) for r in mine]}

    def call_logs(
        self, filters: Mapping[str, str], page_id: int, page_size: int, hostname: str
    ) -> dict[str, Any]:
        """GET /logs/calls: newest first (sort_order 1, the default), ``named_conf_id`` filter."""
        with self._lock:
            wanted = filters.get("named_conf_id")
            found = [s for s in self._sessions if wanted is None or s.conference_id == wanted]
            found.reverse()
            page = found[(page_id - 1) * page_size : page_id * page_size]
            return {"cnt": len(found), "list": [call_json(s, hostname) for s in page]}

    def _running_session(self, session_id: str) -> Session:
        """A session the API reaches: only while its conference runs."""
        found = next(
            (s for s in self._sessions if s.session_id == session_id and s.ended is None), None
        )
        if found is None:
            raise not_found(
                "conferenceSessionNotFound", f"Conference session {session_id} not found."
            )
        return found

    def get_session(self, session_id: str, hostname: str) -> dict[str, Any]:
        with self._lock:
            return {"session": session_json(self._running_session(session_id), hostname)}

    def session_participants(self, session_id: str, hostname: str) -> dict[str, Any]:
        with self._lock:
            session = self._running_session(session_id)
            inside = session.inside()
            return {
                "count": len(inside),
                "participants": [
                    session_participant_json(p, hostname, session.owner) for p in inside
                ],
            }

    def call_participants(
        self, session_id: str, page_id: int, page_size: int, hostname: str
    ) -> dict[str, Any]:
        with self._lock:
            session = next((s for s in self._sessions if s.session_id == session_id), None)
            if session is None:
                raise not_found("callNotFound", f"Call {session_id} is not found.")
            stays = session.stays[(page_id - 1) * page_size : page_id * page_size]
            return {
                "cnt": len(session.stays),
                "list": [call_participant_json(p, hostname) for p in stays],
            }

    # -- join links and calendars ---------------------------------------------

    def software_clients(
        self, params: Mapping[str, str], host: str, hostname: str
    ) -> dict[str, Any]:
        call_id = params.get("call_id")
        with self._lock:
            conf = self._get(call_id) if call_id else None
            login = client_login(params.get("user"), self.users)
            credential = self._tokens.issue_guest(self.guest_link_lifetime, self.clock.now())
        return self._render.software_clients(
            conf=conf,
            call_id=call_id,
            case=params.get("case"),
            login=login,
            credential=credential,
            host=host,
            hostname=hostname,
        )

    def guest_link_valid(self, web_url: str) -> bool:
        """Whether a guest ``web_url`` would still let its holder in."""
        with self._lock:
            return self._tokens.guest_valid(guest_token(web_url), self.clock.now())

    def calendars(self, conference_id: str, host: str, version: str) -> dict[str, Any]:
        with self._lock:
            conf = self._get(conference_id)
            start, end, days = self._render.window(conf)
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
            start, end, days = self._render.window(conf)
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
        return {"user": render_user_json(require_user(self.users, ident), hostname)}

    def list_users(
        self, page_id: int, page_size: int, filters: Mapping[str, str], hostname: str
    ) -> dict[str, Any]:
        """Like the real list: filters are case-insensitive substrings, and the
        answer carries neither a total nor a next page."""
        rows = [render_user_json(u, hostname) for u in self.users.values()]
        for name, wanted in filters.items():
            needle = wanted.casefold()
            rows = [r for r in rows if needle in str(r.get(name) or "").casefold()]
        return {"users": rows[(page_id - 1) * page_size : page_id * page_size]}
