"""The ports the core works through; adapters and storage implement them.

One module per side of the core: ``backend`` (conference servers, by
capability), ``messenger`` (pushed messages, calendar links), ``store`` (the
unit of work and its repositories). Import them from here.
"""

from __future__ import annotations

from bot.ports.backend import (
    ConferenceBackend,
    GuestLinks,
    Invitations,
    RoomActivation,
    Rooms,
    UserDirectory,
    features_of,
)
from bot.ports.messenger import CalendarFeeds, Messenger
from bot.ports.store import (
    ActionLedger,
    AuditLog,
    ChatMoves,
    ChatSettings,
    ChatSettingsRepository,
    DeliveryLog,
    LinkRecord,
    MeetingRepository,
    PrivateParcels,
    UnitOfWork,
    UnitOfWorkFactory,
    UserLinkRepository,
)

__all__ = [
    "ActionLedger",
    "AuditLog",
    "CalendarFeeds",
    "ChatMoves",
    "ChatSettings",
    "ChatSettingsRepository",
    "ConferenceBackend",
    "DeliveryLog",
    "GuestLinks",
    "Invitations",
    "LinkRecord",
    "MeetingRepository",
    "Messenger",
    "PrivateParcels",
    "RoomActivation",
    "Rooms",
    "UnitOfWork",
    "UnitOfWorkFactory",
    "UserDirectory",
    "UserLinkRepository",
    "features_of",
]
