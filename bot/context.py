"""What a handler gets: the request as the core understands it, and the ports."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from bot.audience import Audience
from bot.card_buttons import CardButton
from bot.chat import Lang
from bot.clock import Clock
from bot.commands import CommandInput
from bot.errors import UserError
from bot.i18n import Translator
from bot.live.model import LiveConfig
from bot.meeting import Meeting
from bot.metrics import Metrics, NoMetrics
from bot.policy import BridgeAdmins, Role
from bot.ports import (
    AuditEntry,
    CalendarFeeds,
    ChatSettings,
    ConferenceBackend,
    RoomActivation,
    UnitOfWorkFactory,
    UserDirectory,
)
from bot.reply import Capabilities


@dataclass(frozen=True, slots=True)
class Defaults:
    zone: str
    lang: Lang
    duration: timedelta
    owner_login: str | None
    server_zone: str
    # Reminder offsets of new meetings in chats that set none.
    reminders: tuple[timedelta, ...] = (timedelta(minutes=10),)
    # The host in calendar events' UIDs: PUBLIC_URL's, when there is one.
    calendar_host: str = "meetbridge.local"
    # False: only people linked to a server account create meetings, and
    # ``owner_login`` owns nothing (UNLINKED_MAY_CREATE).
    unlinked_may_create: bool = True


@dataclass(frozen=True, slots=True)
class Deps:
    # Every configured conference server by name; new meetings go to the
    # chat's choice, else to ``default_backend``; a meeting stays on its own.
    backends: Mapping[str, ConferenceBackend]
    default_backend: str
    # The server's user accounts (TrueConf's); None when no server has them.
    directory: UserDirectory | None
    uow: UnitOfWorkFactory
    clock: Clock
    defaults: Defaults
    # Room (de)activation by backend name, for backends without schedules.
    activation: Mapping[str, RoomActivation] = field(default_factory=dict)
    # How long before the start a room is switched on.
    activation_lead: timedelta = timedelta(minutes=5)
    # Where commands, reminders and backend calls are counted (Prometheus in serve).
    metrics: Metrics = field(default_factory=NoMetrics)
    # Public links to the bridge's .ics files; None without PUBLIC_URL.
    feeds: CalendarFeeds | None = None
    # BRIDGE_ADMINS: who holds bot-wide powers.
    admins: BridgeAdmins = field(default_factory=BridgeAdmins)
    # Live cards: how meetings are watched (None: not at all); only on a
    # server that tells who is in (its ``activity``).
    live: LiveConfig | None = None

    def watched(self, backend: str) -> bool:
        """Are meetings on ``backend`` watched (live card, summary)?"""
        server = self.backends.get(backend)
        return self.live is not None and server is not None and server.activity is not None

    def backend_named(self, name: str) -> ConferenceBackend:
        """The backend a meeting lives on or a chat chose; a clear message when
        this installation no longer has it."""
        backend = self.backends.get(name)
        if backend is None:
            raise UserError("error.backend_missing", name=name, names=", ".join(self.backends))
        return backend


@dataclass(slots=True)
class AuditSlot:
    """The command's audit line for a good ending, named by the service before
    the handler runs. A handler whose single write can carry it takes it
    (``take``); the service then writes no line of its own when the command
    ends well (and one more, with the real outcome, when it does not)."""

    entry: AuditEntry | None = None
    taken: bool = False
    # The meeting the command is about (``about``), in the line however it ends.
    detail: str = ""

    def about(self, meeting: Meeting) -> None:
        self.detail = meeting_detail(meeting)

    def take(self) -> AuditEntry | None:
        self.taken = self.entry is not None
        return None if self.entry is None else replace(self.entry, detail=self.detail)


def meeting_detail(meeting: Meeting) -> str:
    """The audit's detail for a meeting: its number (a new one's is put in
    front by the store, ``numbered``), its server and conference id, enough for
    ``meetbridge meetings`` or the server's own console to find the rest.

    The topic stays out: it is what people typed, of any length and on one
    line of ``audit tail`` only escaped, and the audit outlives the meeting
    (RETENTION_DAYS) with whatever it named. PINs and guest or join links
    stay out too: the audit is read by more people than those links are for."""
    number = f"#{meeting.id} " if meeting.id is not None else ""
    return f"{number}{meeting.backend} conference {meeting.conference_id}"


@dataclass(frozen=True, slots=True)
class Request:
    """One command being served: who asked, in which zone and language, and when."""

    input: CommandInput
    zone: str
    lang: Lang
    t: Translator
    now: datetime
    capabilities: Capabilities
    # The chat's preferences as read for this command (handlers that change
    # them read them afresh in their own transaction).
    settings: ChatSettings = field(default_factory=ChatSettings)
    # The speaker's powers here (bot.policy).
    role: Role = Role.MEMBER
    # Every button a meeting's card may offer (the catalogue's).
    card_buttons: tuple[CardButton, ...] = ()
    # Approved logins of the people the command names (speaker, mentions), read
    # with the settings, by ``bot.ports.link_key``; anyone else is read as needed.
    logins: Mapping[str, str | None] = field(default_factory=dict)
    # The command's audit line, for a handler whose one write can carry it.
    audit: AuditSlot = field(default_factory=AuditSlot)

    @property
    def audience(self) -> Audience:
        """Whom the answer is rendered for."""
        return Audience(self.lang, self.t, self.zone, self.now, self.capabilities)
