"""What the bridge knows of a meeting while it runs, and what its card shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.meeting import LiveState


@dataclass(frozen=True, slots=True)
class Participant:
    """Someone in a conference: a server user by name, or a guest."""

    name: str
    guest: bool = False


@dataclass(frozen=True, slots=True)
class Activity:
    """A conference as it is right now: running or not, and who is in."""

    running: bool
    participants: tuple[Participant, ...] = ()


@dataclass(frozen=True, slots=True)
class CallLog:
    """One past session of a conference, from the server's call logs."""

    session_id: str
    started: datetime | None
    ended: datetime | None
    participants: tuple[Participant, ...] = ()


@dataclass(frozen=True, slots=True)
class Recording:
    """A recording the server keeps. ``url`` is empty when people cannot
    open it themselves (TrueConf's downloads need the API's token)."""

    name: str
    created: datetime | None = None
    url: str = ""


@dataclass(frozen=True, slots=True)
class LiveView:
    """Exactly what a card shows of the meeting's state: the card is edited
    when, and only when, this changes."""

    phase: LiveState = LiveState.SCHEDULED
    names: tuple[str, ...] = ()  # server users in, sorted
    guests: int = 0

    @property
    def count(self) -> int:
        return len(self.names) + self.guests

    @staticmethod
    def running(participants: tuple[Participant, ...]) -> LiveView:
        names = tuple(sorted({p.name for p in participants if not p.guest}, key=str.casefold))
        guests = sum(1 for p in participants if p.guest)
        return LiveView(LiveState.RUNNING, names, guests)

    def encode(self) -> dict[str, object]:
        return {"phase": self.phase.value, "names": list(self.names), "guests": self.guests}

    @staticmethod
    def decode(data: object) -> LiveView | None:
        """What ``encode`` stored; ``None`` for anything else."""
        if not isinstance(data, dict):
            return None
        names, guests = data.get("names"), data.get("guests")
        if not isinstance(names, list) or not isinstance(guests, int):
            return None
        try:
            phase = LiveState(str(data.get("phase")))
        except ValueError:
            return None
        return LiveView(phase, tuple(str(n) for n in names), guests)


@dataclass(frozen=True, slots=True)
class LiveRecord:
    """What the store keeps per meeting: where its card is, what the card
    last showed, and what this run of the meeting has seen so far."""

    meeting_id: int
    chat_key: str = ""
    message_id: str = ""  # the posted card; "" when none can be edited
    shown: LiveView | None = None
    phase: LiveState = LiveState.SCHEDULED
    running_since: datetime | None = None
    empty_since: datetime | None = None
    idle_noted: bool = False
    seen: tuple[Participant, ...] = field(default=())
    polled_at: datetime | None = None

    @property
    def tracked(self) -> bool:
        return bool(self.message_id)


@dataclass(frozen=True, slots=True)
class LiveConfig:
    """How meetings are watched (LIVE_POLL_SECONDS, IDLE_STOP_MINUTES)."""

    poll: timedelta = timedelta(seconds=30)
    idle: timedelta = timedelta(minutes=30)
    # Watched from this long before each start ("about to start").
    lead: timedelta = timedelta(minutes=2)
