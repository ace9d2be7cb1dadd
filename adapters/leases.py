"""What a process knows of the leases it holds, by its own clock: the reminder
dispatcher's rows and a Slack worker's commands alike.

A process that only stalled (a paused VM, a process starved of CPU) comes back
to rows another process may have taken over meanwhile. It acts on a row only
while it knows the row's lease to run for a margin more (``still_ours``), by
the clock the other processes judge the lease by, and drops a row a renewal no
longer kept (``note_renewed``). Each claim has a number, so a round's answer
about an earlier claim of a row never touches a later one.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import NamedTuple


class _Lease(NamedTuple):
    until: datetime
    claim: int  # this process's count of its claims


class LeaseBook:
    def __init__(self, margin: timedelta) -> None:
        self._margin = margin
        self._held: dict[int, _Lease] = {}
        self._claims = itertools.count()

    def claimed(self, ids: Iterable[int], until: datetime) -> None:
        self._held.update((row_id, _Lease(until, next(self._claims))) for row_id in ids)

    def drop(self, row_id: int) -> None:
        """Carried out, handed back or given up: no longer this book's."""
        self._held.pop(row_id, None)

    def asked(self) -> dict[int, _Lease]:
        """What a renewal round asks about, as it stands now."""
        return dict(self._held)

    def note_renewed(self, asked: dict[int, _Lease], kept: frozenset[int], until: datetime) -> int:
        """The round's answer: the rows it kept run to ``until``; the others
        it was asked about, still held by the same claim, were taken over
        and are dropped. Returns how many were."""
        lost = 0
        for row_id, lease in asked.items():
            known = self._held.get(row_id)
            if known is None or known.claim != lease.claim:
                continue  # carried out, or claimed anew, meanwhile
            if row_id in kept:
                self._held[row_id] = known._replace(until=max(known.until, until))
            else:
                del self._held[row_id]
                lost += 1
        return lost

    def still_ours(self, row_id: int, now: datetime) -> bool:
        lease = self._held.get(row_id)
        return lease is not None and now + self._margin < lease.until
