"""Telegram's limits kept in PostgreSQL, so replicas sharing a bot token share
them (``bot.ports.SharedWindows``).

A send is booked in one short transaction: the rows of its keys (the bot's
whole traffic, and its chat) are locked in key order (so two replicas never
wait on each other crosswise), the earliest moment every window allows is
chosen on the database's clock (``clock_timestamp()``: one clock for every
replica, wherever it runs), and the moment is added to each row. The replica
then waits until that moment and sends. Moments older than the longest window
are dropped as rows are written, so a row holds at most a window's worth.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, bindparam, func, select, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.ports import Keyed
from bot.ports.limits import earliest
from storage.models import SendWindowRow

_TABLE: Table = SendWindowRow.__table__  # type: ignore[assignment]
_KNOWN_KEPT = 10_000  # keys known to have a row, per process


class SqlSendWindows:
    """``SharedWindows`` on PostgreSQL for one bot (``namespace``: its id)."""

    def __init__(self, engine: AsyncEngine, namespace: str) -> None:
        self._engine = engine
        self._namespace = namespace
        self._known: set[str] = set()
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
        named = {f"{self._namespace}:{key}": windows for key, windows in keys}
        longest = max(w.seconds for windows in named.values() for w in windows) + margin
        async with self._engine.begin() as connection:
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
            now = float(rows[0].now)
            booked = {row.key: sorted(t for t in row.times if t > now - longest) for row in rows}
            at = earliest(now, [(booked[k], named[k]) for k in sorted(named)], margin)
            writes: list[dict[str, Any]] = [
                {"row_key": key, "times": sorted([*times, at])} for key, times in booked.items()
            ]
            await connection.execute(self._write, writes)
        return max(0.0, at - now)
