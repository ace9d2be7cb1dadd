"""Meetings as the bridge keeps them, and conferences as a backend reports them."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta
from enum import StrEnum

from bot.chat import ChatRef, UserRef
from bot.schedule import Schedule, Weekday


@dataclass(frozen=True, slots=True)
class JoinInfo:
    """Every way into a conference. Empty strings/tuples mean "not offered"."""

    page_url: str = ""
    browser_url: str = ""
    app_deeplink: str = ""
    android_intent: str = ""
    sip: tuple[str, ...] = ()
    sip_external: str = ""
    h323: tuple[str, ...] = ()
    view_url: str = ""  # watch and listen only (Callaba's view mode)


@dataclass(frozen=True, slots=True)
class ConferenceSpec:
    """What the core asks a backend to create or change. Backend-neutral:
    the TrueConf adapter turns ``schedule`` into the server's own terms."""

    topic: str
    owner_login: str
    invitee_logins: tuple[str, ...]
    schedule: Schedule
    duration: timedelta | None
    max_participants: int | None = None
    pin: str | None = None
    auto_invite: bool = True


@dataclass(frozen=True, slots=True)
class Conference:
    """A conference as the backend reports it."""

    conference_id: str
    topic: str
    state: str
    join: JoinInfo
    pin: str | None = None
    next_start: datetime | None = None
    server_time_offset_minutes: int | None = None
    invited_logins: tuple[str, ...] = ()
    # A weekly rule as the server holds it, in the server's own zone (empty
    # and None for other schedules, and for servers that keep none).
    weekly_days: frozenset[Weekday] = frozenset()
    weekly_time: time | None = None

    @property
    def is_running(self) -> bool:
        return self.state in ("running", "starting")


@dataclass(frozen=True, slots=True)
class GuestAccess:
    """A fresh guest join link; these expire within a minute on TrueConf."""

    browser_url: str
    app_deeplink: str = ""
    android_intent: str = ""
    expires: bool = True  # False: the link lasts as long as the conference


@dataclass(frozen=True, slots=True)
class BackendFeatures:
    """What a conference server offers, as plain data for what renders without
    calling it (cards, lists, reminders): ``bot.ports.features_of`` derives it
    from the server's capabilities, so the core adapts without asking which
    server it is.

    ``accounts``: the server knows people (owners, a user directory,
    invitations, calling people into a running conference). Without accounts
    the people named in a command are kept as chat mentions only.
    ``schedules``: the server keeps the schedule itself (weekly rules in its
    own zone); without it the bridge switches rooms on and off in time.
    ``guests``: the server hands out guest join links."""

    accounts: bool = True
    schedules: bool = True
    guests: bool = True


@dataclass(frozen=True, slots=True)
class DirectoryUser:
    """A person known to the conference server."""

    login: str
    display_name: str = ""
    email: str = ""


class MeetingStatus(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class EditField(StrEnum):
    """What an edit can change of a conference."""

    TOPIC = "topic"
    SCHEDULE = "schedule"  # the start, or the weekly days and time
    DURATION = "duration"


class LiveState(StrEnum):
    """Where the conference stands, as far as the bridge knows: set by the
    bridge's own start and stop, and by whatever watches the server. Only
    what was recorded; ``bot.live.shown_state`` adds what the clock tells."""

    SCHEDULED = "scheduled"  # not started yet (a weekly one: the next occurrence)
    RUNNING = "running"
    ENDED = "ended"  # a weekly meeting: its last occurrence


@dataclass(frozen=True, slots=True)
class Invitee:
    """Someone named in a command. ``login`` is their server account, or empty
    when they could not be mapped to one."""

    handle: str
    login: str = ""
    user_id: str = ""

    @property
    def mapped(self) -> bool:
        return bool(self.login)


@dataclass(frozen=True, slots=True)
class Meeting:
    """A meeting the bridge created. ``id`` is the bridge's own number (shown
    as ``#12``), assigned by the store; ``conference_id`` is the backend's."""

    backend: str
    conference_id: str
    chat: ChatRef
    creator: UserRef
    topic: str
    schedule: Schedule
    duration: timedelta | None
    owner_login: str
    created_at: datetime
    join: JoinInfo = field(default_factory=JoinInfo)
    invitees: tuple[Invitee, ...] = ()
    status: MeetingStatus = MeetingStatus.SCHEDULED
    id: int | None = None
    # Reminders before each start, e.g. (10 minutes, 1 hour); empty: none.
    reminders: tuple[timedelta, ...] = ()
    # The meeting in people's calendars: a UUID that never changes (the event's
    # UID), and a count of the edits stored since it was made (its SEQUENCE).
    uid: str = ""
    sequence: int = 0
    # The recorded live state, since when, and how many are in while it runs
    # (``None``: not known).
    state: LiveState = LiveState.SCHEDULED
    state_since: datetime | None = None
    people_in: int | None = None

    def with_changes(self, **changes: object) -> Meeting:
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def invited_logins(self) -> tuple[str, ...]:
        return tuple(i.login for i in self.invitees if i.mapped)
