"""The schema, as SQLAlchemy 2.0 declarative models.

Portable between SQLite and PostgreSQL: plain strings, integers, JSON and
``UtcDateTime``; no server-specific types. Constraint names follow one
convention so migrations can refer to them on both databases.
``migrations/versions`` must describe the same schema (a test compares them).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from storage.columns import UtcDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Short enough for every index on PostgreSQL (63-byte identifiers).
KEY = 200  # "platform:workspace:chat" keys
ID = 100  # platform ids, logins, backend names
ZONE = 64  # IANA zone names


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class MeetingRow(Base):
    __tablename__ = "meetings"
    __table_args__ = (
        UniqueConstraint("backend", "conference_id"),
        Index(None, "chat_key", "status"),
        CheckConstraint("schedule_kind IN ('instant', 'once', 'weekly')", name="schedule_kind"),
        CheckConstraint("status IN ('scheduled', 'cancelled')", name="status"),
        CheckConstraint("live_state IN ('scheduled', 'running', 'ended')", name="live_state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    backend: Mapped[str] = mapped_column(String(ID))
    # A string: TrueConf ids may have leading zeros that matter.
    conference_id: Mapped[str] = mapped_column(String(255))

    chat_key: Mapped[str] = mapped_column(String(KEY))
    platform: Mapped[str] = mapped_column(String(16))
    workspace_id: Mapped[str] = mapped_column(String(ID))
    chat_id: Mapped[str] = mapped_column(String(ID))

    creator_key: Mapped[str] = mapped_column(String(KEY))
    creator_platform: Mapped[str] = mapped_column(String(16))
    creator_workspace_id: Mapped[str] = mapped_column(String(ID))
    creator_user_id: Mapped[str] = mapped_column(String(ID))
    creator_name: Mapped[str] = mapped_column(String(255))

    topic: Mapped[str] = mapped_column(Text)
    schedule_kind: Mapped[str] = mapped_column(String(16))
    start_utc: Mapped[datetime | None] = mapped_column(UtcDateTime)  # once
    weekly_days: Mapped[str | None] = mapped_column(String(32))  # "mon,wed"
    weekly_time: Mapped[str | None] = mapped_column(String(16))  # "HH:MM"
    zone: Mapped[str | None] = mapped_column(String(ZONE))  # once, weekly
    duration_seconds: Mapped[int | None] = mapped_column(Integer)
    owner_login: Mapped[str] = mapped_column(String(255))

    # Every way to join. The PIN is deliberately absent: it is never stored.
    page_url: Mapped[str] = mapped_column(Text)
    browser_url: Mapped[str] = mapped_column(Text)
    app_deeplink: Mapped[str] = mapped_column(Text)
    android_intent: Mapped[str] = mapped_column(Text)
    sip: Mapped[list[str]] = mapped_column(JSON)
    sip_external: Mapped[str] = mapped_column(Text)
    h323: Mapped[list[str]] = mapped_column(JSON)
    view_url: Mapped[str] = mapped_column(Text, default="")  # Callaba's view-only link

    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # Reminder offsets in seconds before each start, e.g. [600, 3600].
    reminder_offsets: Mapped[list[int]] = mapped_column(JSON, default=list)
    # The calendar event's UID (a UUID) and SEQUENCE (bumped by every save).
    uid: Mapped[str] = mapped_column(String(36), server_default="")
    sequence: Mapped[int] = mapped_column(Integer, server_default="0")
    # Where the conference stands as far as the bridge knows (bot.meeting.LiveState),
    # since when, and how many are in while it runs (NULL: not known).
    live_state: Mapped[str] = mapped_column(String(16), server_default="scheduled")
    state_since: Mapped[datetime | None] = mapped_column(UtcDateTime)
    people_in: Mapped[int | None] = mapped_column(Integer)

    invitees: Mapped[list[InviteeRow]] = relationship(
        back_populates="meeting",
        order_by="InviteeRow.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
        lazy="raise",  # async code must load them explicitly
    )


class InviteeRow(Base):
    __tablename__ = "meeting_invitees"
    __table_args__ = (UniqueConstraint("meeting_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    handle: Mapped[str] = mapped_column(String(255))
    login: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[str] = mapped_column(String(ID))

    meeting: Mapped[MeetingRow] = relationship(back_populates="invitees", lazy="raise")


class UserLinkRow(Base):
    __tablename__ = "user_links"
    __table_args__ = (
        Index(None, "platform", "workspace_id", "handle"),
        CheckConstraint("status IN ('active', 'pending')", name="status"),
    )

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    login: Mapped[str] = mapped_column(String(255), index=True)
    linked_by: Mapped[str] = mapped_column(String(KEY))  # user key of who linked
    linked_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # "pending": a person asked for this login and waits for an admin's approval.
    status: Mapped[str] = mapped_column(String(16), server_default="active")
    # The platform's unique @name, lowercased, so typed @mentions find the link.
    handle: Mapped[str | None] = mapped_column(String(ID))
    display_name: Mapped[str | None] = mapped_column(String(255))


class ChatSettingsRow(Base):
    __tablename__ = "chat_settings"

    chat_key: Mapped[str] = mapped_column(String(KEY), primary_key=True)
    zone: Mapped[str | None] = mapped_column(String(ZONE))
    lang: Mapped[str | None] = mapped_column(String(8))
    backend: Mapped[str | None] = mapped_column(String(ID))
    # The chat's default reminder offsets (seconds) for new meetings; NULL: the setting.
    reminder_offsets: Mapped[list[int] | None] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class AuditRow(Base):
    __tablename__ = "audit_log"
    __table_args__ = (Index(None, "chat_key", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    chat_key: Mapped[str] = mapped_column(String(KEY))
    user_key: Mapped[str] = mapped_column(String(KEY))
    command: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text)


ACTION_KINDS = ("remind", "activate", "deactivate", "correct", "live")
ACTION_STATUSES = ("pending", "sending", "sent", "late", "expired", "failed")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    """A check constraint's text: ``column IN ('a', 'b')``."""
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


class ScheduledActionRow(Base):
    """The ledger of timed work: reminders, room (de)activation for backends
    without schedules, and corrections of weekly rules servers keep in their
    own zone. One row per (meeting, kind, occurrence, offset, recipient).

    ``available_at`` is when the row may next be claimed: the fire time while
    pending (or the retry time after a failed send), the lease expiry while
    sending. One partial index over it serves every claim.
    """

    __tablename__ = "scheduled_actions"
    __table_args__ = (
        UniqueConstraint(
            "meeting_id",
            "kind",
            "occurrence_start",
            "offset_seconds",
            "recipient",
            name="uq_scheduled_actions_key",
        ),
        Index(
            "ix_scheduled_actions_claimable",
            "available_at",
            postgresql_where=text("status IN ('pending', 'sending')"),
            sqlite_where=text("status IN ('pending', 'sending')"),
        ),
        CheckConstraint(_one_of("kind", ACTION_KINDS), name="kind"),
        CheckConstraint(_one_of("status", ACTION_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    occurrence_start: Mapped[datetime] = mapped_column(UtcDateTime)
    offset_seconds: Mapped[int] = mapped_column(Integer)
    recipient: Mapped[str] = mapped_column(String(KEY))  # a chat key; "" for room actions
    fire_at: Mapped[datetime] = mapped_column(UtcDateTime)
    available_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_owner: Mapped[str | None] = mapped_column(String(ID))
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class LiveCardRow(Base):
    """A watched meeting: where its card was posted (``message_id``, empty
    when there is none the bridge can edit), what the card last showed, and
    what the current run has seen. ``polled_at`` is the last poll: a poll
    is made only by whoever moves it on (one poller per meeting)."""

    __tablename__ = "live_cards"
    __table_args__ = (CheckConstraint("phase IN ('scheduled', 'running', 'ended')", name="phase"),)

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    chat_key: Mapped[str] = mapped_column(String(KEY), server_default="")
    message_id: Mapped[str] = mapped_column(String(ID), server_default="")
    shown: Mapped[dict[str, object] | None] = mapped_column(JSON)
    phase: Mapped[str] = mapped_column(String(16), server_default="scheduled")
    running_since: Mapped[datetime | None] = mapped_column(UtcDateTime)
    empty_since: Mapped[datetime | None] = mapped_column(UtcDateTime)
    idle_noted: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    # Everyone seen in this run: [[name, is guest], ...].
    seen: Mapped[list[list[object]]] = mapped_column(JSON, default=list)
    polled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class DispatcherRow(Base):
    """One running (or once running) dispatcher process and how long it is
    known to be alive: from ``started_at`` to ``alive_until``, which its
    renewal rounds push forward while it runs (a stop sets it to the stop
    time). A row that came due while no interval covered its fire time came
    due while nothing was running: only such rows follow the downtime policy."""

    __tablename__ = "dispatchers"

    owner: Mapped[str] = mapped_column(String(ID), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    alive_until: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class ProcessedDeliveryRow(Base):
    """Messenger deliveries already handled (Telegram ``update_id``, Slack retries).
    The primary key makes a retried delivery's insert fail, so it is done once."""

    __tablename__ = "processed_deliveries"

    source: Mapped[str] = mapped_column(String(32), primary_key=True)  # "telegram:<bot id>"
    delivery_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class PlainLineHintRow(Base):
    """Personal chats told that commands start with /meet (a plain line's
    hint), until a command is sent there: once per chat, whichever replica
    answers and across restarts."""

    __tablename__ = "plain_line_hints"

    chat_key: Mapped[str] = mapped_column(String(KEY), primary_key=True)
    hinted_at: Mapped[datetime] = mapped_column(UtcDateTime)


class PrivateParcelRow(Base):
    """Messages for one person that could not reach their private chat (they
    never started the bot): handed over once, by the deep link's token, before
    ``expires_at``. ``key`` is the token's SHA-256, never the token itself."""

    __tablename__ = "private_parcels"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    recipient: Mapped[str] = mapped_column(String(255))  # the person's UserRef.key
    payload: Mapped[str] = mapped_column(Text)  # the messages, as the messenger renders them
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class SendWindowRow(Base):
    """Sends booked under one limit key (a bot's whole traffic, or one chat),
    shared by every replica: the moments (epoch seconds, the database's clock)
    of the latest and the booked-ahead sends, as a JSON list."""

    __tablename__ = "send_windows"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    times: Mapped[list[float]] = mapped_column(JSON)


class ConnectionLeaseRow(Base):
    """Who holds a connection only one process may hold at a time (TrueConf
    chat's bot): ``holder`` until ``until``, renewed while it runs; once
    ``until`` has passed, another process takes it."""

    __tablename__ = "connection_leases"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(ID))
    until: Mapped[datetime] = mapped_column(UtcDateTime)


class AcceptedCommandRow(Base):
    """A messenger's command acknowledged and waiting for (or under) its work
    (``bot.ports.queue``): ``available_at`` is its acceptance while
    ``accepted`` and its holder's lease expiry while ``working``, so one index
    finds every claimable row, a dead worker's included. Finished rows keep
    only their key (a late retry is still recognised) until purged."""

    __tablename__ = "accepted_commands"
    __table_args__ = (
        UniqueConstraint("source", "delivery_key"),
        Index("ix_accepted_commands_claimable", "status", "available_at"),
        Index("ix_accepted_commands_order", "order_key", "id"),
        CheckConstraint("status IN ('accepted', 'working', 'done', 'given_up')", name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(ID))  # the messenger: "slack"
    delivery_key: Mapped[str] = mapped_column(String(KEY))
    order_key: Mapped[str] = mapped_column(String(KEY))  # one at a time, in order
    payload: Mapped[dict[str, object]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16))
    accepted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    available_at: Mapped[datetime] = mapped_column(UtcDateTime)
    lease_owner: Mapped[str | None] = mapped_column(String(ID), nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
