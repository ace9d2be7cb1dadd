"""The ports the core works through; adapters and storage implement them.

One module per side of the core: ``backend`` (conference servers, by
capability), ``messenger`` (pushed messages, calendar links), ``store`` (the
unit of work and its repositories), ``ledger`` (scheduled actions and the
store that leases them to dispatchers), ``queue`` (commands accepted for a
worker). Import them from here.
"""

from __future__ import annotations

from bot.ports.backend import (
    ConferenceActivity,
    ConferenceBackend,
    Editing,
    GuestLinks,
    Invitations,
    RoomActivation,
    Rooms,
    UserDirectory,
    features_of,
)
from bot.ports.ledger import (
    ActionKind,
    ClaimedAction,
    ClaimStore,
    Finished,
    PlannedAction,
    Status,
)
from bot.ports.limits import Booking, Keyed, SharedWindows, ToBook, Window
from bot.ports.messenger import CalendarFeeds, Messenger
from bot.ports.queue import Acceptance, CommandQueue, QueuedCommand
from bot.ports.store import (
    ActionLedger,
    AuditEntry,
    AuditLog,
    ChatMoves,
    ChatSettings,
    ChatSettingsRepository,
    CommandContext,
    CommandReads,
    DeliveryLog,
    LinkRecord,
    MeetingRepository,
    PlainLineHints,
    PrivateParcels,
    UnitOfWork,
    UnitOfWorkFactory,
    UserLinkRepository,
    link_key,
    numbered,
)

__all__ = [
    "Acceptance",
    "ActionKind",
    "ActionLedger",
    "AuditEntry",
    "AuditLog",
    "Booking",
    "CalendarFeeds",
    "ChatMoves",
    "ChatSettings",
    "ChatSettingsRepository",
    "ClaimStore",
    "ClaimedAction",
    "CommandContext",
    "CommandQueue",
    "CommandReads",
    "ConferenceActivity",
    "ConferenceBackend",
    "DeliveryLog",
    "Editing",
    "Finished",
    "GuestLinks",
    "Invitations",
    "Keyed",
    "LinkRecord",
    "MeetingRepository",
    "Messenger",
    "PlainLineHints",
    "PlannedAction",
    "PrivateParcels",
    "QueuedCommand",
    "RoomActivation",
    "Rooms",
    "SharedWindows",
    "Status",
    "ToBook",
    "UnitOfWork",
    "UnitOfWorkFactory",
    "UserDirectory",
    "UserLinkRepository",
    "Window",
    "features_of",
    "link_key",
    "numbered",
]
