"""Telegram's limits kept in PostgreSQL, so replicas sharing a bot token share
them (``bot.ports.SharedWindows``).

Sends are booked in one short transaction (all those a replica has waiting,
together): the rows of its keys (the bot's
whole traffic, and its chat) are locked in key order (so two replicas never
wait on each other crosswise), the earliest moment every window allows is
chosen on the database's clock (``clock_timestamp()``: one clock for every
replica, wherever it runs), and the moment is added to each row. The replica
then waits until that moment and sends. Only moments within the horizon are
booked: a replica holds at most that much of the budget ahead (what a replica
that dies with it wastes), and a row holds at most a window and a horizon's
worth (what each booking reads). Moments older than a key's longest window
are dropped as its row is written.
"""

from __future__ import annotations

import time
from bisect import bisect_left, insort
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, bindparam, func, select, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.ports import Booking, ToBook, Window
from bot.ports.limits import earliest_until
from storage.models import SendWindowRow

_TABLE: Table = SendWindowRow.__table__  # type: ignore[assignment]
_KNOWN_KEPT = 10_000  # keys known to have a row, per process
# How fast the two clocks may drift apart (seconds a second: NTP slews a
# clock by at most 500 ppm), allowed for. Per second, not per round: a
# replica books many rounds a second in a burst, and an allowance per round
# let the offset creep up through a run of slow answers, every send then
# leaving later than booked, closer to the next one in its chat.
_DRIFT = 0.0005
# A moment given back is the one stored (JSON keeps a float's digits); this
# only absorbs a last-digit difference.
_SAME = 1e-7


class SqlSendWindows:
    """``SharedWindows`` on PostgreSQL for one bot (``namespace``: its id)."""

    def __init__(self, engine: AsyncEngine, namespace: str) -> None:
        self._engine = engine
        self._namespace = namespace
        self._known: set[str] = set()
        self._offset: float | None = None  # this process's clock less the database's
        self._offset_read = 0.0  # when (this process's clock)
        c = _TABLE.c
        self._create = (
            postgresql.insert(_TABLE)
            .values(key=bindparam("key"), times=bindparam("empty", type_=c.times.type))
            .on_conflict_do_nothing()
        )
        self._lock = (
            select(c.key, c.times, func.extract("epoch", func.clock_timestamp()).label("now"))
            .where(c.key.in_(bindparam("keys", expanding=True)))
            .order_by(c.key)
            .with_for_update()
        )
        self._write = (
            update(_TABLE).where(c.key == bindparam("row_key")).values(times=bindparam("times"))
        )

    async def reserve_many(
        self, sends: Sequence[ToBook], margin: float, horizon: float
    ) -> list[Booking | None]:
        named: dict[str, Sequence[Window]] = {}
        for send in sends:
            named.update({f"{self._namespace}:{key}": windows for key, windows in send.keys})
        if not named:
            return [Booking(0.0, 0.0) for _ in sends]
        async with self._engine.begin() as connection:
            rows = await self._locked(connection, named)
            read_at = time.monotonic()  # the database's "now", here
            # Each row's clock is read as PostgreSQL produces it: before the
            # lock of an untouched row, after the wait for one another
            # booking had locked (it is read again once that commits). The
            # latest is after every wait; an earlier one would book moments
            # already past.
            now = max(float(row.now) for row in rows)
            # Each key keeps what its own longest window still counts.
            span = {k: max(w.seconds for w in windows) + margin for k, windows in named.items()}
            booked = {
                row.key: sorted(t for t in row.times if t > now - span[row.key]) for row in rows
            }
            changed = self._give_back(sends, booked)
            moments = self._book(
                sends, named=named, booked=booked, now=now, margin=margin, horizon=horizon
            )
            changed.update(
                f"{self._namespace}:{key}"
                for send, at in zip(sends, moments, strict=True)
                if at is not None
                for key, _ in send.keys
            )
            if changed:
                writes = [{"row_key": key, "times": booked[key]} for key in sorted(changed)]
                await connection.execute(self._write, writes)
        # The database's moments on this process's clock: the offset between
        # the two is read with each round, and the least seen is the truest
        # (a round whose answer was read late, this process waiting for a
        # core, would make every send of it late, bunched with others').
        seen = read_at - now
        if self._offset is None:
            self._offset = seen
        else:
            drift = _DRIFT * (read_at - self._offset_read)
            self._offset = min(seen, self._offset + drift)
        self._offset_read = read_at
        local_now = time.monotonic()
        return [
            None if at is None else Booking(at, at + self._offset - local_now) for at in moments
        ]

    def _give_back(self, sends: Sequence[ToBook], booked: dict[str, list[float]]) -> set[str]:
        """Take the moments given back out of their keys' rows; the keys changed."""
        changed: set[str] = set()
        for send in sends:
            if send.instead is None:
                continue
            for key, _ in send.keys:
                times = booked[f"{self._namespace}:{key}"]
                at = bisect_left(times, send.instead - _SAME)
                if at < len(times) and times[at] <= send.instead + _SAME:
                    del times[at]
                    changed.add(f"{self._namespace}:{key}")
        return changed

    async def _locked(
        self, connection: AsyncConnection, named: dict[str, Sequence[Window]]
    ) -> Sequence[Any]:
        """The rows of ``named``, created if need be, locked in key order."""
        new = [key for key in named if key not in self._known]
        rows: Sequence[Any] = ()
        for _ in range(2):  # a key believed stored may not be (a rolled-back booking)
            if new:
                await connection.execute(self._create, [{"key": k, "empty": []} for k in new])
            rows = (await connection.execute(self._lock, {"keys": sorted(named)})).all()
            new = sorted(set(named) - {row.key for row in rows})
            if not new:
                break
        if len(self._known) > _KNOWN_KEPT:
            self._known.clear()
        self._known.update(named)
        return rows

    def _book(
        self,
        sends: Sequence[ToBook],
        *,
        named: dict[str, Sequence[Window]],
        booked: dict[str, list[float]],
        now: float,
        margin: float,
        horizon: float,
    ) -> list[float | None]:
        """Each send's moment (None: none within the horizon), added to
        ``booked``, in the order asked: each sees the ones before it."""
        # The answer's way back to the replica: no moment sooner than this.
        start = now + margin / 2
        until = start + horizon
        full: set[str] = set()  # keys with no room left within the horizon
        moments: list[float | None] = []
        for send in sends:
            mine = [f"{self._namespace}:{key}" for key, _ in send.keys]
            at = None
            if full.isdisjoint(mine):
                at = earliest_until(start, [(booked[k], named[k]) for k in mine], margin, until)
            if at is None:
                # Which keys are full: later sends under them need not be tried.
                full.update(
                    k
                    for k in mine
                    if earliest_until(start, [(booked[k], named[k])], margin, until) is None
                )
                moments.append(None)
                continue
            for key in mine:
                insort(booked[key], at)
            moments.append(at)
        return moments
