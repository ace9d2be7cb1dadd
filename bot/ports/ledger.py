"""The ledger of scheduled actions (reminders, room activation), as the core
and the dispatcher see it: the rows planned for a meeting, a row claimed to
be carried out, how it ended, and the store that leases rows to dispatchers
(``storage.claims`` implements it). The unit of work's side of the same
ledger is ``bot.ports.store.ActionLedger``."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from bot.chat import Platform


class ActionKind(StrEnum):
    REMIND = "remind"
    ACTIVATE = "activate"
    DEACTIVATE = "deactivate"
    CORRECT = "correct"  # put a server's weekly rule in step with the meeting's zone
    # Watch the conference (the live card, the summary): from ``offset``
    # before the start while it runs; one row per start, re-armed each poll.
    LIVE = "live"


# The kinds whose row posts to (or edits in) its meeting's chat: claimed only
# by a process that can post to that chat's platform now. Room actions go to
# the backend alone, and any process carries them out.
TO_CHAT = frozenset({ActionKind.REMIND, ActionKind.LIVE, ActionKind.CORRECT})


@dataclass(frozen=True, slots=True)
class PlannedAction:
    """One ledger row: ``fire_at = occurrence_start - offset`` (a negative offset
    fires after the start: deactivation at the end)."""

    kind: ActionKind
    occurrence_start: datetime
    offset: timedelta
    recipient: str

    @property
    def fire_at(self) -> datetime:
        return self.occurrence_start - self.offset


class Status(StrEnum):
    """Where a row ends: ``late`` was sent late (after downtime), ``expired``
    came too late to be of use, ``failed`` ran out of attempts."""

    SENT = "sent"
    LATE = "late"
    EXPIRED = "expired"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class ClaimedAction:
    """A ledger row this process holds the lease of."""

    id: int
    meeting_id: int
    kind: ActionKind
    occurrence_start: datetime
    offset: timedelta
    recipient: str
    fire_at: datetime
    attempts: int  # including this one
    # Some dispatcher was alive when the row came due (the store knows from
    # the heartbeats): if it is late now, its holder died or it waited for a
    # retry, which is a takeover, not downtime.
    attended: bool = False


@dataclass(frozen=True, slots=True)
class Finished:
    """An outcome to record: the row, how it ended, and the rows planned after it."""

    action_id: int
    meeting_id: int
    status: Status
    error: str | None = None
    following: tuple[PlannedAction, ...] = ()


class ClaimStore(Protocol):
    """The ledger as the dispatcher sees it: claim due rows under a lease,
    keep the lease alive, record what happened. Implementations commit before
    returning, so no database lock is held while a message is being sent."""

    async def register(self, owner: str, now: datetime, alive_until: datetime) -> None:
        """A dispatcher starts: its heartbeat says it is alive until ``alive_until``."""
        ...

    async def claim(
        self,
        owner: str,
        now: datetime,
        lease: timedelta,
        limit: int,
        platforms: Collection[Platform] | None = None,
    ) -> list[ClaimedAction]:
        """Due rows, leased to ``owner`` until ``now + lease``, each marked
        ``attended`` when some dispatcher was alive at its fire time.
        ``platforms``: the messengers this process can post to now; a
        ``TO_CHAT`` row whose meeting's chat is on another platform is left
        for a process that can (``None``: every platform)."""
        ...

    async def renew(
        self, owner: str, held: Sequence[int], now: datetime, until: datetime
    ) -> frozenset[int]:
        """Extend the heartbeat and the leases of the ``held`` rows this owner
        still holds to ``until`` (a few statements, however many rows);
        returns the ids renewed. One of ``held`` left out is no longer this
        owner's: recorded meanwhile, or taken over after its lease ran out
        (the owner stalled), and then it must not be carried out here."""
        ...

    async def finish(
        self, action_id: int, owner: str, status: Status, now: datetime, error: str | None = None
    ) -> bool: ...

    async def finish_many(self, owner: str, done: Sequence[Finished], now: datetime) -> int:
        """``finish`` for many rows in one statement per outcome, and their
        ``following`` rows added (the ledger's unique key skips those already
        there), all in one transaction."""
        ...

    async def retry(self, action_id: int, owner: str, at: datetime, error: str | None) -> bool:
        """Back to pending until ``at`` (``error``: why; ``None``: not a failure)."""
        ...

    async def give_back(self, action_id: int, owner: str, now: datetime) -> bool:
        """Pending again from ``now``, if still ``owner``'s, as if never
        claimed (its attempt not counted): it was not tried."""
        ...

    async def next_available(
        self, platforms: Collection[Platform] | None = None
    ) -> datetime | None:
        """When the next row ``claim`` with these ``platforms`` would take is due."""
        ...

    async def release(self, owner: str, now: datetime) -> int:
        """On stop: hand back the rows not sent; the heartbeat ends ``now``."""
        ...
