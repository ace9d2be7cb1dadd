"""Telegram's limits kept in PostgreSQL, so replicas sharing a bot token share
them (``bot.ports.SharedWindows``).

Sends are booked in one short transaction (all those a replica has waiting,
together): the rows of its keys (the bot's
whole traffic, and its chat) are locked in key order (so two replicas never
wait on each other crosswise), the earliest moment every window allows is
chosen on the database's clock (``clock_timestamp()``: one clock for every
replica, wherever it runs), and the moment is added to each row. The replica
then waits until that moment and sends. Moments older than a key's longest window
are dropped as its row is written, so a row holds at most a window's worth.
"""

from __future__ import annotations

import time
from bisect import insort
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, bindparam, func, select, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.ports import Keyed, Window
from bot.ports.limits import earliest
from storage.models import SendWindowRow

_TABLE: Table = SendWindowRow.__table__  # type: ignore[assignment]
_KNOWN_KEPT = 10_000  # keys known to have a row, per process
# How far the two clocks may drift apart between two rounds, allowed for.
_DRIFT = 0.0005


class SqlSendWindows:
    """``SharedWindows`` on PostgreSQL for one bot (``namespace``: its id)."""

    def __init__(self, engine: AsyncEngine, namespace: str) -> None:
        self._engine = engine
        self._namespace = namespace
        self._known: set[str] = set()
        self._offset: float | None = None  # this process's clock less the database's
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

    async def reserve(self, keys: Sequence[Keyed], margin: float) -> float:
        return (await self.reserve_many([keys], margin))[0]

    async def reserve_many(self, sends: Sequence[Sequence[Keyed]], margin: float) -> list[float]:
        named: dict[str, Sequence[Window]] = {}
        for keys in sends:
            named.update({f"{self._namespace}:{key}": windows for key, windows in keys})
        if not named:
            return [0.0 for _ in sends]
        async with self._engine.begin() as connection:
            new = [key for key in named if key not in self._known]
            rows: Sequence[Any] = ()
            read_at = time.monotonic()
            for _ in range(2):  # a key believed stored may not be (a rolled-back booking)
                if new:
                    await connection.execute(self._create, [{"key": k, "empty": []} for k in new])
                rows = (await connection.execute(self._lock, {"keys": sorted(named)})).all()
                read_at = time.monotonic()  # the database's "now", here
                new = sorted(set(named) - {row.key for row in rows})
                if not new:
                    break
            if len(self._known) > _KNOWN_KEPT:
                self._known.clear()
            self._known.update(named)
            now = float(rows[0].now)
            # Each key keeps what its own longest window still counts.
            span = {k: max(w.seconds for w in windows) + margin for k, windows in named.items()}
            booked = {
                row.key: sorted(t for t in row.times if t > now - span[row.key]) for row in rows
            }
            delays = []
            for keys in sends:  # in the order asked: each sees the ones booked before it
                mine = [f"{self._namespace}:{key}" for key, _ in keys]
                at = earliest(now, [(booked[k], named[k]) for k in mine], margin)
                for key in mine:
                    insort(booked[key], at)
                delays.append(at - now)
            writes: list[dict[str, Any]] = [
                {"row_key": key, "times": times} for key, times in booked.items()
            ]
            await connection.execute(self._write, writes)
        # The database's moments on this process's clock: the offset between
        # the two is read with each round, and the least seen is the truest
        # (a round whose answer was read late, this process waiting for a
        # core, would make every send of it late, bunched with others').
        seen = read_at - now
        self._offset = seen if self._offset is None else min(seen, self._offset + _DRIFT)
        local_now = time.monotonic()
        return [max(0.0, now + delay + self._offset - local_now) for delay in delays]
