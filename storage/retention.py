"""Retention: rows past their use, deleted in small batches so no statement
holds a lock for long. Processed deliveries (only a retried delivery needs
them), finished ledger rows (sent, late, expired, failed) and audit entries,
each older than the cutoff; nothing pending or in flight is ever touched.
Send windows (Telegram's limits shared by replicas, one row per chat ever sent
to) whose latest send is older than the cutoff go too: a window lasts
seconds, so such a row counts nothing, and a replica writes it anew (empty)
when it next sends there. Its own condition is checked again by the
``DELETE`` itself, so a row booked meanwhile stays.

On PostgreSQL one process at a time prunes (a transaction-level advisory
lock that others do not wait for); SQLite serves a single process anyway.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import (
    ColumnElement,
    Delete,
    Float,
    Integer,
    cast,
    delete,
    func,
    literal,
    select,
    text,
    tuple_,
)
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage.models import AuditRow, ProcessedDeliveryRow, ScheduledActionRow, SendWindowRow

FINISHED = ("sent", "late", "expired", "failed")
_PG_LOCK_KEY = 0x70727565  # "prue": any constant, one per purpose


@dataclass
class Pruned:
    """Rows deleted, by table."""

    counts: dict[str, int] = field(default_factory=dict)
    # False when another process was pruning (nothing was done here).
    ran: bool = True

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _latest_send(dialect: str) -> ColumnElement[float]:
    """A send window's latest moment (epoch seconds): its list is kept in
    order, so the last element; 0 for an empty list."""
    W = SendWindowRow
    if dialect == "postgresql":
        last: ColumnElement[object] = W.times.op("->>")(literal(-1, Integer))
    else:
        last = func.json_extract(W.times, "$[#-1]")
    return func.coalesce(cast(last, Float), 0.0)


def _statements(cutoff: datetime, batch: int, dialect: str) -> dict[str, Delete]:
    D, A, L, W = ProcessedDeliveryRow, AuditRow, ScheduledActionRow, SendWindowRow
    old_deliveries = select(D.source, D.delivery_id).where(D.received_at < cutoff).limit(batch)
    old_audit = select(A.id).where(A.at < cutoff).limit(batch)
    finished: ColumnElement[bool] = L.status.in_(FINISHED)
    old_ledger = select(L.id).where(finished, L.fire_at < cutoff).limit(batch)
    stale: ColumnElement[bool] = _latest_send(dialect) < cutoff.timestamp()
    old_windows = select(W.key).where(stale).limit(batch)
    return {
        D.__tablename__: delete(D).where(tuple_(D.source, D.delivery_id).in_(old_deliveries)),
        A.__tablename__: delete(A).where(A.id.in_(old_audit)),
        L.__tablename__: delete(L).where(L.id.in_(old_ledger)),
        W.__tablename__: delete(W).where(W.key.in_(old_windows), stale),
    }


async def _take_turn(connection: AsyncConnection) -> bool:
    if connection.dialect.name != "postgresql":
        return True
    taken = await connection.execute(
        text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY}
    )
    return bool(taken.scalar())


async def prune_batch(engine: AsyncEngine, cutoff: datetime, batch: int) -> Pruned:
    """At most ``batch`` rows of each table, in one short transaction."""
    async with engine.begin() as connection:
        if not await _take_turn(connection):
            return Pruned(ran=False)
        counts = {}
        for table, statement in _statements(cutoff, batch, connection.dialect.name).items():
            result = await connection.execute(statement)
            counts[table] = max(0, result.rowcount or 0)
    return Pruned(counts)


async def prune(
    engine: AsyncEngine, cutoff: datetime, *, batch: int = 500, max_batches: int = 100
) -> Pruned:
    """Batches until nothing older than ``cutoff`` is left (or ``max_batches``:
    the rest waits for the next round, so one round never runs long)."""
    total = Pruned()
    for _ in range(max_batches):
        pruned = await prune_batch(engine, cutoff, batch)
        if not pruned.ran:
            return Pruned(total.counts, ran=total.total > 0)
        for table, count in pruned.counts.items():
            total.counts[table] = total.counts.get(table, 0) + count
        if all(count < batch for count in pruned.counts.values()):
            break
    return total
