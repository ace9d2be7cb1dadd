"""In-memory stand-ins for the core's ports, for unit tests of the core.

They keep real state (so a test can assert what the server and the store hold
afterwards), not just a record of calls.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any, Self

from bot.chat import ChatRef, UserRef
from bot.clock import Clock, FrozenClock
from bot.context import Defaults, Deps
from bot.errors import BackendError, Refusal
from bot.live.model import LiveRecord
from bot.meeting import (
    Conference,
    ConferenceSpec,
    DirectoryUser,
    EditField,
    GuestAccess,
    JoinInfo,
    LiveState,
    Meeting,
    MeetingStatus,
)
from bot.ports import (
    AuditEntry,
    ChatSettings,
    CommandContext,
    ConferenceActivity,
    Editing,
    GuestLinks,
    Invitations,
    LinkRecord,
    RoomActivation,
    UnitOfWorkFactory,
    link_key,
    numbered,
)
from bot.ports.ledger import ActionKind, PlannedAction
from bot.schedule import Instant, Once, Weekly

# TrueConf's limits, as the sandbox keeps them.
MAX_TOPIC = 240
MAX_PIN = 64
MAX_PARTICIPANTS = 250
MAX_ROOM_NAME = 255  # Callaba's


def _invalid(field: str) -> BackendError:
    return BackendError(
        "invalidRequest", f"{field} is invalid", status=400, refusal=Refusal.INVALID_REQUEST
    )


def _invitation_limit() -> BackendError:
    return BackendError(
        "conferenceMaxInvitationsLimit", status=400, refusal=Refusal.INVITATION_LIMIT
    )


@dataclass
class FakeConference:
    spec: ConferenceSpec
    invited: list[str]
    state: str = "stopped"


class FakeBackend:
    """A conference server in memory with TrueConf's rules: it refuses what the
    sandbox refuses, with the same refusal (tests/integration/*/test_fake_contract.py
    holds the two to it), so a core test cannot pass on what the server rejects.

    Its capabilities are attributes a test may take away (``guests = None``)."""

    def __init__(
        self,
        name: str = "fake",
        *,
        pin: str | None = None,
        accounts: Collection[str] | None = None,
        clock: Clock | None = None,
    ) -> None:
        self._name = name
        # The server's logins; fake_deps gives it the directory's when None.
        self.accounts: set[str] | None = None if accounts is None else set(accounts)
        # What "finished" is measured against; fake_deps gives it the core's.
        self.clock = clock
        self.invitations: Invitations | None = self
        self.guests: GuestLinks | None = self
        self.activation: RoomActivation | None = None
        self.editing: Editing | None = self
        # TrueConf v3.3+: nothing a command changes may change while it runs.
        self.while_running: frozenset[EditField] = frozenset()
        # Who is in its conferences (the live card): a test gives it one.
        self.activity: ConferenceActivity | None = None
        self._ids = itertools.count(1_000_000_001)
        self.conferences: dict[str, FakeConference] = {}
        self.calls: list[str] = []
        self.pin = pin
        self.fail_next: BackendError | None = None
        self.fail_calls: dict[str, BackendError] = {}  # call name -> error, every time
        self.refused_logins: dict[str, BackendError] = {}  # invitations the server refuses
        # False: a server that creates a meeting for now stopped, so the core starts it.
        self.running_at_create = True

    @property
    def name(self) -> str:
        return self._name

    def _check(self, call: str) -> None:
        self.calls.append(call)
        if call in self.fail_calls:
            raise self.fail_calls[call]
        if self.fail_next is not None:
            error, self.fail_next = self.fail_next, None
            raise error

    def _conf(self, conference_id: str) -> FakeConference:
        if conference_id not in self.conferences:
            raise BackendError("conferenceNotFound", status=404, refusal=Refusal.NOT_FOUND)
        return self.conferences[conference_id]

    def _account(self, login: str) -> None:
        if self.accounts is not None and login not in self.accounts:
            raise BackendError("userNotFound", status=404, refusal=Refusal.NO_SUCH_USER)

    def _check_spec(self, spec: ConferenceSpec, invited: Sequence[str]) -> None:
        """TrueConf's checks of a conference's fields, as the sandbox makes them."""
        if not 1 <= len(spec.topic) <= MAX_TOPIC:
            raise _invalid("topic")
        seconds = int((spec.duration or timedelta(hours=1)).total_seconds())
        if not isinstance(spec.schedule, Instant) and seconds <= 0:
            raise _invalid("schedule.duration")
        if spec.pin is not None and not 1 <= len(spec.pin) <= MAX_PIN:
            raise _invalid("pin")
        limit = spec.max_participants
        if limit is not None and not 1 <= limit <= MAX_PARTICIPANTS:
            raise _invalid("max_participants")
        for login in invited:
            self._account(login)
        if len(invited) > (limit or MAX_PARTICIPANTS):
            raise _invitation_limit()

    def _finished(self, conf: FakeConference) -> bool:
        schedule = conf.spec.schedule
        if self.clock is None or not isinstance(schedule, Once):
            return False
        return self.clock.now() >= schedule.start + (conf.spec.duration or timedelta(hours=1))

    def _view(self, conference_id: str) -> Conference:
        conf = self._conf(conference_id)
        return Conference(
            conference_id=conference_id,
            topic=conf.spec.topic,
            state=conf.state,
            join=JoinInfo(
                page_url=f"https://fake.test/c/{conference_id}",
                browser_url=f"https://fake.test/webrtc/{conference_id}",
                app_deeplink=f"trueconf:\\c\\{conference_id}@fake.test%23vcs",
                sip=(f"00{conference_id}@10.0.0.1",),
                h323=(f"10.0.0.1##00{conference_id}",),
            ),
            pin=self.pin,
            invited_logins=tuple(conf.invited),
        )

    async def create(self, spec: ConferenceSpec) -> Conference:
        self._check("create")
        invited = list(dict.fromkeys((spec.owner_login, *spec.invitee_logins)))
        self._check_spec(spec, invited)
        conference_id = str(next(self._ids))
        # A meeting for now is created running, in the same request (as the adapter asks).
        now = isinstance(spec.schedule, Instant) and self.running_at_create
        state = "running" if now else "stopped"
        self.conferences[conference_id] = FakeConference(spec, invited, state)
        return self._view(conference_id)

    async def get(self, conference_id: str) -> Conference:
        self._check("get")
        return self._view(conference_id)

    async def edit(
        self, conference_id: str, spec: ConferenceSpec, fields: frozenset[EditField]
    ) -> Conference | None:
        self._check("edit")
        conf = self._conf(conference_id)
        if conf.state == "running" and fields - self.while_running:
            raise BackendError(
                "conferenceFieldUnavailableForChange",
                status=400,
                refusal=Refusal.LOCKED_WHILE_RUNNING,
            )
        self._check_spec(spec, conf.invited)
        conf.spec = spec
        return self._view(conference_id)

    async def delete(self, conference_id: str) -> None:
        self._check("delete")
        if self._conf(conference_id).state == "running":
            raise BackendError(
                "conferenceUnavailableForChange", status=400, refusal=Refusal.RUNNING
            )
        del self.conferences[conference_id]

    async def start(self, conference_id: str) -> str:
        self._check("start")
        conf = self._conf(conference_id)
        if conf.state != "running" and self._finished(conf):
            raise BackendError("conferenceIsFinished", status=400, refusal=Refusal.FINISHED)
        conf.state = "running"
        return "running"

    async def stop(self, conference_id: str) -> str:
        self._check("stop")
        conf = self._conf(conference_id)
        if conf.state != "running":
            raise self._not_running()
        conf.state = "stopped"
        return "stopped"

    def _not_running(self) -> BackendError:
        return BackendError("conferenceIsNotRunning", status=400, refusal=Refusal.NOT_RUNNING)

    async def add_invitations(self, conference_id: str, logins: Sequence[str]) -> None:
        self._check("add_invitations")
        conf = self._conf(conference_id)
        # One request a login, as the adapter sends them: those before a refusal stay.
        for login in dict.fromkeys(logins):
            if login in self.refused_logins:
                raise self.refused_logins[login]
            self._account(login)
            if login not in conf.invited:
                if len(conf.invited) >= (conf.spec.max_participants or MAX_PARTICIPANTS):
                    raise _invitation_limit()
                conf.invited.append(login)

    async def remove_invitation(self, conference_id: str, login: str) -> None:
        self._check("remove_invitation")
        conf = self._conf(conference_id)
        if conf.state == "running":
            raise BackendError(
                "conferenceUnavailableForChange", status=400, refusal=Refusal.RUNNING
            )
        if login not in conf.invited:
            return  # the adapter takes the server's invitationNotFound as done
        if login == conf.spec.owner_login:
            raise BackendError(
                "conferenceOwnerNotInInvitationsList",
                status=400,
                refusal=Refusal.OWNER_NOT_INVITED,
            )
        conf.invited.remove(login)

    async def invite_now(self, conference_id: str, logins: Sequence[str]) -> None:
        self._check("invite_now")
        self._conf(conference_id).state = "running"  # calling people into it starts it

    async def guest_access(self, conference_id: str, display_name: str) -> GuestAccess:
        self._check("guest_access")
        self._conf(conference_id)
        return GuestAccess(browser_url=f"https://fake.test/webrtc/{conference_id}#guest")


class FakeCallaba(FakeBackend):
    """A conference server in memory shaped like Callaba: rooms with a speaker
    and a view-only link, an active flag, and no accounts, invitations, PINs,
    calendars or schedule. It offers no invitations, so the core cannot ask
    it for them; it switches its own rooms on and off (``activation``)."""

    def __init__(self, name: str = "callaba") -> None:
        super().__init__(name)
        self._ids = itertools.count(0x65380EC8A33BE4CD87D03E4F)
        self.invitations = None
        self.activation = self
        self.while_running = frozenset(EditField)

    def _view(self, conference_id: str) -> Conference:
        conf = self._conf(conference_id)
        return Conference(
            conference_id=conference_id,
            topic=conf.spec.topic,
            state=conf.state,  # "running" while the room is active
            join=JoinInfo(
                browser_url=f"https://rooms.test/conferences/{conference_id}",
                view_url=f"https://rooms.test/conferences-view-mode/{conference_id}",
            ),
        )

    async def create(self, spec: ConferenceSpec) -> Conference:
        self._check("create")
        assert spec.invitee_logins == (), "no accounts: nobody to invite on the server"
        self._check_spec(spec, ())
        conference_id = f"{next(self._ids):024x}"
        # Only an instant room is switched on at once; the bridge times the rest.
        state = "running" if isinstance(spec.schedule, Instant) else "stopped"
        self.conferences[conference_id] = FakeConference(spec, [], state)
        return self._view(conference_id)

    async def delete(self, conference_id: str) -> None:
        self._check("delete")
        self._conf(conference_id)
        del self.conferences[conference_id]  # an active room can go: it drops everyone

    async def edit(
        self, conference_id: str, spec: ConferenceSpec, fields: frozenset[EditField]
    ) -> Conference | None:
        if EditField.TOPIC in fields:
            return await super().edit(conference_id, spec, fields)
        # A new time is the ledger's: the adapter sends the room nothing, so
        # a room gone is not noticed. Kept on the fake's record for the tests.
        self._check("edit")
        if conference_id in self.conferences:
            self.conferences[conference_id].spec = spec
        return None

    def _check_spec(self, spec: ConferenceSpec, invited: Sequence[str]) -> None:
        """A room's name is all Callaba checks: not blank, at most 255 characters."""
        if not spec.topic.strip() or len(spec.topic) > MAX_ROOM_NAME:
            raise BackendError("invalidRequest", status=400, refusal=Refusal.INVALID_REQUEST)

    def _finished(self, conf: FakeConference) -> bool:
        return False  # a room has no schedule: it opens whenever asked

    def _not_running(self) -> BackendError:
        # The adapter reads the room first and refuses a closed one itself.
        return BackendError("roomNotActive", refusal=Refusal.NOT_RUNNING)

    async def set_active(self, conference_id: str, active: bool) -> None:
        self._check("set_active")
        self._conf(conference_id).state = "running" if active else "stopped"

    async def guest_access(self, conference_id: str, display_name: str) -> GuestAccess:
        self._check("guest_access")
        return GuestAccess(browser_url=self._view(conference_id).join.browser_url, expires=False)


class FakeDirectory:
    def __init__(self, users: Sequence[DirectoryUser]) -> None:
        self.users = list(users)
        self.lookups: list[str] = []

    async def find_by_login(self, login: str) -> DirectoryUser | None:
        self.lookups.append(login)
        return next((u for u in self.users if u.login == login), None)

    async def find_by_email(self, email: str) -> DirectoryUser | None:
        self.lookups.append(email)
        return next((u for u in self.users if u.email.lower() == email.lower()), None)


@dataclass
class MemoryState:
    meetings: dict[int, Meeting] = field(default_factory=dict)
    links: dict[str, LinkRecord] = field(default_factory=dict)  # by stored user key
    settings: dict[str, ChatSettings] = field(default_factory=dict)
    # (chat key, command, outcome, user key, detail)
    audit: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    deliveries: set[tuple[str, str]] = field(default_factory=set)
    hints: set[str] = field(default_factory=set)
    # key -> (recipient key, payload, expires at)
    parcels: dict[str, tuple[str, str, datetime]] = field(default_factory=dict)
    # (meeting id, planned action) -> status; the pair is the ledger's unique key.
    ledger: dict[tuple[int, PlannedAction], str] = field(default_factory=dict)
    live: dict[int, LiveRecord] = field(default_factory=dict)
    next_id: int = 1


class _Meetings:
    def __init__(self, state: MemoryState) -> None:
        self._s = state

    async def add(
        self,
        meeting: Meeting,
        *,
        actions: Sequence[PlannedAction] = (),
        audit: AuditEntry | None = None,
        live: LiveRecord | None = None,
    ) -> Meeting:
        stored = replace(meeting, id=self._s.next_id, sequence=0)
        self._s.meetings[stored.id or 0] = stored
        self._s.next_id += 1
        await _Ledger(self._s).add(stored.id or 0, actions)
        if audit is not None and stored.id is not None:
            line = numbered(audit, stored.id)
            await _Audit(self._s).record(
                chat=line.chat,
                user=line.user,
                command=line.command,
                outcome=line.outcome,
                detail=line.detail,
            )
        if live is not None and stored.id is not None:
            await _Live(self._s).save(replace(live, meeting_id=stored.id))
        return stored

    async def get(self, meeting_id: int) -> Meeting | None:
        return self._s.meetings.get(meeting_id)

    async def get_for_update(self, meeting_id: int) -> Meeting | None:
        # One event loop, and the memory store never waits between a read
        # and its write: nothing to lock.
        return self._s.meetings.get(meeting_id)

    async def get_many(self, meeting_ids: Collection[int]) -> dict[int, Meeting]:
        return {i: self._s.meetings[i] for i in meeting_ids if i in self._s.meetings}

    async def find_in_chat(self, chat: ChatRef, ref: str) -> Meeting | None:
        in_chat = [m for m in self._s.meetings.values() if m.chat == chat]
        number = ref.removeprefix("#")
        if number.isdigit():
            for m in in_chat:
                if str(m.id) == number:
                    return m
        return next((m for m in in_chat if m.conference_id == ref), None)

    async def list_active(self, chat: ChatRef) -> list[Meeting]:
        return [
            m
            for m in sorted(self._s.meetings.values(), key=lambda m: m.id or 0)
            if m.chat == chat and m.status == "scheduled"
        ]

    async def list_for_user(self, user: UserRef, login: str | None = None) -> list[Meeting]:
        def invited(m: Meeting) -> bool:
            return any(
                i.user_id == user.user_id or (bool(login) and i.login == login) for i in m.invitees
            )

        return [
            m
            for m in sorted(self._s.meetings.values(), key=lambda m: m.id or 0)
            if m.status == "scheduled"
            and (m.chat.platform, m.chat.workspace_id) == (user.platform, user.workspace_id)
            and (m.creator.key == user.key or invited(m))
        ]

    async def record_state(
        self,
        meeting_id: int,
        state: LiveState,
        *,
        since: datetime,
        people_in: int | None = None,
    ) -> None:
        stored = self._s.meetings[meeting_id]
        if stored.status is MeetingStatus.CANCELLED:
            return
        self._s.meetings[meeting_id] = replace(
            stored, state=state, state_since=since, people_in=people_in
        )

    async def save(self, meeting: Meeting) -> None:
        assert meeting.id in self._s.meetings
        stored = self._s.meetings[meeting.id or 0]
        self._s.meetings[meeting.id or 0] = replace(meeting, sequence=stored.sequence + 1)


class _Links:
    def __init__(self, state: MemoryState) -> None:
        self._s = state

    async def find(self, user: UserRef) -> LinkRecord | None:
        """By user id; else by handle, as the SQL repository does."""
        if user.key in self._s.links:
            return self._s.links[user.key]
        handle = user.handle.lower()
        found = [
            r
            for r in self._s.links.values()
            if handle and r.user.handle.lower() == handle and r.user.platform == user.platform
        ]
        return min(found, key=lambda r: r.pending, default=None)

    async def get(self, user: UserRef) -> str | None:
        record = await self.find(user)
        return record.login if record is not None and not record.pending else None

    async def set(
        self, user: UserRef, login: str, *, linked_by: UserRef, pending: bool = False
    ) -> None:
        self._s.links[user.key] = LinkRecord(user, login, pending)

    async def remove(self, user: UserRef) -> bool:
        record = await self.find(user)
        return record is not None and self._s.links.pop(record.user.key, None) is not None


class _Context:
    def __init__(self, state: MemoryState) -> None:
        self._s = state

    async def read(self, chat: ChatRef, people: Sequence[UserRef]) -> CommandContext:
        links = _Links(self._s)
        logins = {link_key(p): await links.get(p) for p in people}
        return CommandContext(await _Settings(self._s).get(chat), logins)


class _Settings:
    def __init__(self, state: MemoryState) -> None:
        self._s = state

    async def get(self, chat: ChatRef) -> ChatSettings:
        return self._s.settings.get(chat.key, ChatSettings())

    async def get_many(self, chats: Collection[ChatRef]) -> dict[str, ChatSettings]:
        return {chat.key: await self.get(chat) for chat in chats}

    async def save(self, chat: ChatRef, settings: ChatSettings) -> None:
        self._s.settings[chat.key] = settings


class _Chats:
    def __init__(self, state: MemoryState) -> None:
        self._s = state

    async def move(self, old: ChatRef, new: ChatRef) -> int:
        moving = [m for m in self._s.meetings.values() if m.chat == old]
        for meeting in moving:
            self._s.meetings[meeting.id or 0] = replace(meeting, chat=new)
        self._s.ledger = {
            (m, replace(a, recipient=new.key) if a.recipient == old.key else a): status
            for (m, a), status in self._s.ledger.items()
        }
        settings = self._s.settings.pop(old.key, None)
        if settings is not None:
            self._s.settings.setdefault(new.key, settings)
        return len(moving)


class _Audit:
    def __init__(self, state: MemoryState) -> None:
        self._s = state

    async def record(
        self, *, chat: ChatRef, user: UserRef, command: str, outcome: str, detail: str = ""
    ) -> None:
        self._s.audit.append((chat.key, command, outcome, user.key, detail))


class _Deliveries:
    def __init__(self, state: MemoryState) -> None:
        self._s = state

    async def first_time(self, source: str, delivery_id: str) -> bool:
        if (source, delivery_id) in self._s.deliveries:
            return False
        self._s.deliveries.add((source, delivery_id))
        return True


class _Hints:
    def __init__(self, state: MemoryState) -> None:
        self._s = state

    async def first_hint(self, chat: ChatRef) -> bool:
        if chat.key in self._s.hints:
            return False
        self._s.hints.add(chat.key)
        return True

    async def forget(self, chat: ChatRef) -> None:
        self._s.hints.discard(chat.key)


class _Parcels:
    def __init__(self, state: MemoryState) -> None:
        self._s = state

    async def put(self, key: str, recipient: UserRef, payload: str, expires_at: datetime) -> None:
        self._s.parcels[key] = (recipient.key, payload, expires_at)

    async def take(self, key: str, recipient: UserRef, now: datetime) -> str | None:
        found = self._s.parcels.get(key)
        if found is None or found[0] != recipient.key or found[2] <= now:
            return None
        del self._s.parcels[key]
        return found[1]

    async def drop_expired(self, now: datetime) -> int:
        stale = [key for key, (_, _, expires) in self._s.parcels.items() if expires <= now]
        for key in stale:
            del self._s.parcels[key]
        return len(stale)


class _Ledger:
    def __init__(self, state: MemoryState) -> None:
        self._s = state

    async def add(self, meeting_id: int, actions: Sequence[PlannedAction]) -> int:
        new = [a for a in actions if (meeting_id, a) not in self._s.ledger]
        self._s.ledger.update(dict.fromkeys(((meeting_id, a) for a in new), "pending"))
        return len(new)

    async def replace_pending(self, meeting_id: int, actions: Sequence[PlannedAction]) -> None:
        for key, status in list(self._s.ledger.items()):
            if key[0] == meeting_id and status == "pending":
                del self._s.ledger[key]
        await self.add(meeting_id, actions)

    async def pending(self, meeting_id: int) -> list[PlannedAction]:
        return [
            a
            for (m, a), status in self._s.ledger.items()
            if m == meeting_id and status == "pending"
        ]

    async def next_reminder(self, meeting_id: int) -> datetime | None:
        return (await self.next_reminders([meeting_id])).get(meeting_id)

    async def next_reminders(self, meeting_ids: Sequence[int]) -> dict[int, datetime]:
        found: dict[int, datetime] = {}
        for (m, a), status in self._s.ledger.items():
            if m in meeting_ids and status == "pending" and a.kind is ActionKind.REMIND:
                found[m] = min(found.get(m, a.fire_at), a.fire_at)
        return found

    async def silent_weekly(self, room_backends: Collection[str]) -> dict[int, datetime | None]:
        silent: dict[int, datetime | None] = {}
        for meeting_id, meeting in sorted(self._s.meetings.items()):
            rows = [(a, st) for (m, a), st in self._s.ledger.items() if m == meeting_id]
            if (
                isinstance(meeting.schedule, Weekly)
                and meeting.status is MeetingStatus.SCHEDULED
                and (meeting.reminders or meeting.backend in room_backends)
                and not any(st in ("pending", "sending") for _, st in rows)
            ):
                silent[meeting_id] = max((a.occurrence_start for a, _ in rows), default=None)
        return silent


class _Live:
    def __init__(self, state: MemoryState) -> None:
        self._state = state

    async def get(self, meeting_id: int) -> LiveRecord | None:
        return self._state.live.get(meeting_id)

    async def get_many(self, meeting_ids: Collection[int]) -> dict[int, LiveRecord]:
        return {i: self._state.live[i] for i in meeting_ids if i in self._state.live}

    async def save(self, record: LiveRecord) -> None:
        before = self._state.live.get(record.meeting_id)
        if before is not None:  # as the store: a save keeps these two
            record = replace(record, polled_at=before.polled_at, message_id=before.message_id)
        self._state.live[record.meeting_id] = record

    async def save_turn(self, record: LiveRecord, turn: datetime) -> bool:
        before = self._state.live.get(record.meeting_id)
        if before is None or before.polled_at != turn:
            return False
        await self.save(record)
        return True

    async def set_card(self, meeting_id: int, message_id: str) -> bool:
        record = self._state.live.get(meeting_id)
        if record is None:
            return False
        self._state.live[meeting_id] = replace(record, message_id=message_id)
        return True

    async def take_turn(self, meeting_id: int, now: datetime, not_since: datetime) -> bool:
        record = self._state.live.get(meeting_id) or LiveRecord(meeting_id)
        if record.polled_at is not None and record.polled_at > not_since:
            return False
        self._state.live[meeting_id] = replace(record, polled_at=now)
        return True


def _copy(state: MemoryState) -> MemoryState:
    return MemoryState(
        meetings=dict(state.meetings),
        links=dict(state.links),
        settings=dict(state.settings),
        audit=list(state.audit),
        deliveries=set(state.deliveries),
        hints=set(state.hints),
        parcels=dict(state.parcels),
        ledger=dict(state.ledger),
        live=dict(state.live),
        next_id=state.next_id,
    )


class MemoryUnitOfWork:
    """Changes go to a copy and replace the shared state only on commit."""

    def __init__(self, shared: MemoryState) -> None:
        self._shared = shared

    async def __aenter__(self) -> Self:
        self._work = _copy(self._shared)
        self.meetings = _Meetings(self._work)
        self.links = _Links(self._work)
        self.context = _Context(self._work)
        self.chat_settings = _Settings(self._work)
        self.chats = _Chats(self._work)
        self.audit = _Audit(self._work)
        self.deliveries = _Deliveries(self._work)
        self.hints = _Hints(self._work)
        self.parcels = _Parcels(self._work)
        self.ledger = _Ledger(self._work)
        self.live = _Live(self._work)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None

    async def commit(self) -> None:
        self._shared.__dict__.update(_copy(self._work).__dict__)


class MemoryUnitOfWorkFactory:
    def __init__(self) -> None:
        self.state = MemoryState()

    def __call__(self, *, transaction: bool = True) -> MemoryUnitOfWork:
        return MemoryUnitOfWork(self.state)


def _as_port(factory: MemoryUnitOfWorkFactory) -> UnitOfWorkFactory:
    """Never called: mypy (which checks this file) holds the fake to the port."""
    return factory


def fake_deps(
    backend: FakeBackend,
    users: Sequence[DirectoryUser],
    now: datetime,
    *,
    owner_login: str = "helen",
    **changes: Any,
) -> Deps:
    """The core's dependencies around one fake backend, as the unit tests use
    them: a Moscow chat in English, one-hour meetings, an in-memory store and a
    frozen clock. ``changes`` go to ``Defaults`` or, when ``Deps`` has such a
    field (``feeds``, ``admins``), to ``Deps``."""
    deps_fields = {"feeds", "admins"}
    clock = FrozenClock(now)
    # The server knows the directory's people, the bridge's owner account and the core's time.
    if backend.accounts is None:
        backend.accounts = {owner_login, *(u.login for u in users)}
    backend.clock = backend.clock or clock
    defaults = Defaults(
        zone="Europe/Moscow",
        lang="en",
        duration=timedelta(hours=1),
        owner_login=owner_login,
        server_zone="Europe/Moscow",
    )
    defaults = replace(defaults, **{k: v for k, v in changes.items() if k not in deps_fields})
    return Deps(
        backends={backend.name: backend},
        default_backend=backend.name,
        directory=FakeDirectory(users),
        uow=MemoryUnitOfWorkFactory(),
        clock=clock,
        defaults=defaults,
        **{k: v for k, v in changes.items() if k in deps_fields},
    )
