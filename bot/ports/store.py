"""The store's ports: one unit of work over the repositories the core keeps
its records in. ``storage`` implements them; tests have an in-memory one."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from types import TracebackType
from typing import Protocol, Self

from bot.chat import ChatRef, Lang, UserRef
from bot.live.model import LiveRecord
from bot.live.port import LiveCards
from bot.meeting import LiveState, Meeting
from bot.ports.ledger import PlannedAction


@dataclass(frozen=True, slots=True)
class ChatSettings:
    """Per-chat preferences; ``None`` fields fall back to the configured defaults."""

    zone: str | None = None
    lang: Lang | None = None
    backend: str | None = None
    # Reminder offsets of new meetings; None: the configured default.
    reminders: tuple[timedelta, ...] | None = None


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One line of the audit log: who ran which command where, and how it ended."""

    chat: ChatRef
    user: UserRef
    command: str
    outcome: str
    detail: str = ""


def numbered(entry: AuditEntry, meeting_id: int) -> AuditEntry:
    """A new meeting's audit line as stored: its detail after the meeting's
    number (``#12 trueconf conference …``), which only the store knows."""
    return replace(entry, detail=f"#{meeting_id} {entry.detail}".rstrip())


def link_key(user: UserRef) -> str:
    """Whom a link lookup is for: the person's id, and the handle they may be
    found by (``UserLinkRepository.get`` reads both)."""
    return f"{user.key}|{user.handle.lower()}"


@dataclass(frozen=True, slots=True)
class CommandContext:
    """What a command reads before it acts: the chat's settings and the
    approved logins of the people it names (speaker and mentions), by
    ``link_key``; a person not asked about is not in ``logins``."""

    settings: ChatSettings = field(default_factory=ChatSettings)
    logins: Mapping[str, str | None] = field(default_factory=dict)


class CommandReads(Protocol):
    async def read(self, chat: ChatRef, people: Sequence[UserRef]) -> CommandContext:
        """The chat's settings and each person's approved login (as
        ``UserLinkRepository.get`` finds it), in one read when the store can."""
        ...


class MeetingRepository(Protocol):
    async def add(
        self,
        meeting: Meeting,
        *,
        actions: Sequence[PlannedAction] = (),
        audit: AuditEntry | None = None,
        live: LiveRecord | None = None,
    ) -> Meeting:
        """Store a new meeting with its invitees, its first scheduled
        ``actions`` (as ``ActionLedger.add``), ``audit`` (the command's
        audit line, stored ``numbered``: its detail after the new meeting's
        number) and, for a watched meeting, its first ``live`` record
        (as ``LiveCards.save``, under the new meeting's id); returns it with its
        ``id`` assigned. Atomic by itself: all of it is stored or none, in a
        unit of work without a transaction too (the store may write it in
        one statement)."""
        ...

    async def get(self, meeting_id: int) -> Meeting | None: ...

    async def get_for_update(self, meeting_id: int) -> Meeting | None:
        """``get``, in a writing unit of work, before changing the meeting:
        another writer of it waits until this one's transaction ends, and
        this one waits for a writer already under way, so each reads what
        the other wrote instead of writing over it from a stale copy."""
        ...

    async def get_many(self, meeting_ids: Collection[int]) -> dict[int, Meeting]:
        """``get`` for many in one read: the stored ones by id."""
        ...

    async def find_in_chat(self, chat: ChatRef, ref: str) -> Meeting | None:
        """Find a meeting of this chat by bridge number (``12``/``#12``) or conference id."""
        ...

    async def list_active(self, chat: ChatRef) -> list[Meeting]:
        """Scheduled (not cancelled) meetings of a chat, oldest first."""
        ...

    async def list_for_user(self, user: UserRef, login: str | None = None) -> list[Meeting]:
        """Scheduled meetings the person created or was invited to, in any chat
        of their workspace, oldest first. ``login``: their server account, so
        an invitation by it (``@bob`` typed, bob linked) counts too."""
        ...

    async def record_state(
        self,
        meeting_id: int,
        state: LiveState,
        *,
        since: datetime,
        people_in: int | None = None,
    ) -> None:
        """Record where the conference stands (not an edit: the calendar
        event's sequence stays); nothing for a cancelled meeting."""
        ...

    async def save(self, meeting: Meeting) -> None:
        """Persist changes (status, invitees, topic, schedule, join info) of a stored meeting."""
        ...


@dataclass(frozen=True, slots=True)
class LinkRecord:
    """A stored link: the person as stored, their login, and whether it still
    waits for an admin's approval."""

    user: UserRef
    login: str
    pending: bool = False


class UserLinkRepository(Protocol):
    """Messenger user -> conference server login.

    A person is found by their user id, else by their ``handle`` (a typed
    ``@name``, or a speaker whose platform vouches for that name)."""

    async def get(self, user: UserRef) -> str | None:
        """The approved login; a pending request is not a link yet."""
        ...

    async def find(self, user: UserRef) -> LinkRecord | None:
        """The stored link, approved or pending."""
        ...

    async def set(
        self, user: UserRef, login: str, *, linked_by: UserRef, pending: bool = False
    ) -> None: ...

    async def remove(self, user: UserRef) -> bool: ...


class ChatSettingsRepository(Protocol):
    async def get(self, chat: ChatRef) -> ChatSettings: ...

    async def get_many(self, chats: Collection[ChatRef]) -> dict[str, ChatSettings]:
        """``get`` for many in one read, by chat key (every chat asked about)."""
        ...

    async def save(self, chat: ChatRef, settings: ChatSettings) -> None: ...


class ChatMoves(Protocol):
    """A chat that got a new id (a Telegram group upgraded to a supergroup)."""

    async def move(self, old: ChatRef, new: ChatRef) -> int:
        """Carry the chat's meetings, settings and reminders over to ``new``;
        returns how many meetings moved. Moving again moves nothing."""
        ...


class AuditLog(Protocol):
    async def record(
        self, *, chat: ChatRef, user: UserRef, command: str, outcome: str, detail: str = ""
    ) -> None: ...


class DeliveryLog(Protocol):
    """Messenger deliveries already handled, so a retried webhook is done once."""

    async def first_time(self, source: str, delivery_id: str) -> bool:
        """Record the delivery; ``False`` when it was recorded before (a retry).
        The record lives in the unit of work: commit it with the work it guards."""
        ...


class PlainLineHints(Protocol):
    """Personal chats told that commands start with /meet, once until a
    command is sent there (shared by every replica, kept across restarts)."""

    async def first_hint(self, chat: ChatRef) -> bool:
        """Record the hint; ``False`` when the chat was given one already."""
        ...

    async def forget(self, chat: ChatRef) -> None:
        """A command was sent there: its next plain line gets a hint again."""
        ...


class ActionLedger(Protocol):
    """The scheduled-actions ledger (reminders, room activation) of meetings.
    Writes join the unit of work, so they commit with the meeting change."""

    async def add(self, meeting_id: int, actions: Sequence[PlannedAction]) -> int:
        """Insert rows not already there (the ledger's unique key decides);
        returns how many were new."""
        ...

    async def replace_pending(self, meeting_id: int, actions: Sequence[PlannedAction]) -> None:
        """Drop the meeting's pending rows and add ``actions`` (rows being sent
        or done stay: a reminder already sent is never sent again)."""
        ...

    async def pending(self, meeting_id: int) -> list[PlannedAction]:
        """The meeting's pending rows, as planned (to put back as they were)."""
        ...

    async def next_reminder(self, meeting_id: int) -> datetime | None:
        """When the meeting's next pending reminder fires."""
        ...

    async def next_reminders(self, meeting_ids: Sequence[int]) -> dict[int, datetime]:
        """``next_reminder`` of many meetings in one query; a meeting with no
        pending reminder is left out."""
        ...

    async def silent_weekly(self, room_backends: Collection[str]) -> dict[int, datetime | None]:
        """Scheduled weekly meetings with something to plan (reminders, or a
        backend among ``room_backends``) but no row pending or being sent:
        each with the latest occurrence it has rows of (``None``: none)."""
        ...


class PrivateParcels(Protocol):
    """Messages for one person, waiting until the messenger can reach them
    privately (a Telegram user who has not started the bot yet). ``key`` is a
    digest of the token the person is handed; the token itself is not stored."""

    async def put(
        self, key: str, recipient: UserRef, payload: str, expires_at: datetime
    ) -> None: ...

    async def take(self, key: str, recipient: UserRef, now: datetime) -> str | None:
        """The payload, once: only to ``recipient``, only before it expires."""
        ...

    async def drop_expired(self, now: datetime) -> int: ...


class UnitOfWork(Protocol):
    """One transaction over every repository. Leaving the block without
    ``commit()`` rolls back."""

    # Read-only: a store keeps its own repository types behind these.
    @property
    def meetings(self) -> MeetingRepository: ...
    @property
    def links(self) -> UserLinkRepository: ...
    @property
    def context(self) -> CommandReads: ...
    @property
    def chat_settings(self) -> ChatSettingsRepository: ...
    @property
    def chats(self) -> ChatMoves: ...
    @property
    def audit(self) -> AuditLog: ...
    @property
    def deliveries(self) -> DeliveryLog: ...
    @property
    def hints(self) -> PlainLineHints: ...
    @property
    def ledger(self) -> ActionLedger: ...
    @property
    def parcels(self) -> PrivateParcels: ...
    @property
    def live(self) -> LiveCards: ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self, *, transaction: bool = True) -> UnitOfWork:
        """A fresh unit of work. ``transaction=False``: its statements need
        not be atomic together (one write it then commits, or reads that need
        not share a snapshot), so the store may run each on its own, without
        a transaction held open around them (nor across the calls to other
        servers made between them)."""
        ...
