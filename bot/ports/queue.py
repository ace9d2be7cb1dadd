"""Commands accepted for later work: the durable queue between the process
that acknowledges a messenger's request and the process that does the work.

The acknowledging side writes one row per command (``accept``) and answers;
a worker claims rows under a lease (``claim``), does the work, and marks them
(``finish``). A row outlives either process, so an acknowledged command is
answered after a crash of either. The payload is what the messenger sent
about the command (its text, who, where, where to answer), never a token.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import Any, Protocol


class Acceptance(Enum):
    ACCEPTED = "accepted"  # a new row: it will be worked on
    REPEATED = "repeated"  # its key was accepted before (a retried delivery): nothing new
    FULL = "full"  # the backlog is at its bound: refused, nothing written
    # Too many acceptances of this process already wait for a store that has
    # stopped answering: refused at once, nothing written.
    BACKED_UP = "backed_up"


@dataclass(frozen=True, slots=True)
class QueuedCommand:
    id: int
    payload: Mapping[str, Any]
    accepted_at: datetime
    attempts: int  # claims so far, this one included


@dataclass(frozen=True, slots=True)
class Waiting:
    """The commands a worker could take now and none has: the head of each
    person's line, accepted and not yet claimed, or held under a lease that
    ran out (their worker died)."""

    count: int
    oldest: datetime | None  # since when the one waiting longest could be taken


# Unfinished commands of one person in one chat past which theirs are "busy":
# they are worked on one at a time, so more only wait, and a flood from one
# person must not fill the backlog everyone shares.
PER_PERSON = 20


class CommandQueue(Protocol):
    # How often a worker looks for rows when nothing wakes it sooner (serve
    # wakes its own work process at each acceptance).
    poll_seconds: float

    async def accept(
        self,
        key: str,
        order: str,
        payload: Mapping[str, Any],
        *,
        now: datetime,
        backlog: int,
        per_person: int = PER_PERSON,
    ) -> Acceptance:
        """One statement: a row for ``key`` unless one exists, ``backlog``
        rows are still unfinished, or ``per_person`` of them share ``order``.
        ``order``: rows sharing it are claimed one at a time, in the order
        they were accepted. Refused at once (``BACKED_UP``) while too many
        acceptances are already under way, as when the store has stopped
        answering."""
        ...

    async def claim(
        self, owner: str, now: datetime, lease: timedelta, limit: int
    ) -> list[QueuedCommand]:
        """Up to ``limit`` rows to work on: accepted ones, and those whose
        holder's lease ran out (it died); the first unfinished row of each
        ``order`` only."""
        ...

    async def finish(self, command_id: int, owner: str, now: datetime, *, done: bool) -> bool:
        """The work ended (``done``) or was given up; its payload is dropped,
        its key kept so a late retry is still recognised. ``False``: the row
        was no longer ``owner``'s (another worker took it over)."""
        ...

    async def renew(self, owner: str, until: datetime) -> frozenset[int]:
        """``owner`` is still working on the rows it holds: their lease now
        ends at ``until`` (a command slower than the lease is not claimed
        again by another worker while it runs). Returns the ids it still
        holds: one it claimed and is not among them was taken over (the
        worker stalled past its lease)."""
        ...

    async def release(self, owner: str) -> None:
        """``owner``'s unfinished rows claimable again at once (a graceful stop)."""
        ...

    async def give_back(self, command_id: int, owner: str) -> bool:
        """One row claimable again at once, by any worker (its holder's
        included), if ``owner`` still holds it, its claim not counted as an
        attempt (it was not begun); whether it did."""
        ...

    async def purge(self, before: datetime) -> int:
        """Finished rows older than ``before`` removed; how many."""
        ...

    async def waiting(self, now: datetime) -> Waiting:
        """What waits for a worker at ``now`` (one read)."""
        ...
