"""SQLAlchemy implementations of the core's repository ports."""

from storage.repositories.audit import SqlAuditLog
from storage.repositories.chat_settings import SqlChatSettingsRepository
from storage.repositories.chats import SqlChatMoves
from storage.repositories.deliveries import SqlDeliveryLog
from storage.repositories.hints import SqlPlainLineHints
from storage.repositories.ledger import SqlActionLedger
from storage.repositories.links import SqlUserLinkRepository
from storage.repositories.live import SqlLiveCards
from storage.repositories.meetings import SqlMeetingRepository
from storage.repositories.parcels import SqlPrivateParcels

__all__ = [
    "SqlActionLedger",
    "SqlAuditLog",
    "SqlChatMoves",
    "SqlChatSettingsRepository",
    "SqlDeliveryLog",
    "SqlLiveCards",
    "SqlMeetingRepository",
    "SqlPlainLineHints",
    "SqlPrivateParcels",
    "SqlUserLinkRepository",
]
