"""Processed messenger deliveries: a retried webhook is recognised and skipped."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import Table, bindparam
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from storage.models import ProcessedDeliveryRow


@lru_cache(maxsize=2)
def _record(dialect: str) -> Any:
    """INSERT … ON CONFLICT DO NOTHING, built once per dialect from bound
    parameters, so it is compiled once (it runs on every command)."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table: Table = ProcessedDeliveryRow.__table__  # type: ignore[assignment]
    values = {c.name: bindparam(c.name, type_=c.type) for c in table.columns}
    return insert(table).values(values).on_conflict_do_nothing()


class SqlDeliveryLog:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    async def first_time(self, source: str, delivery_id: str) -> bool:
        # INSERT … ON CONFLICT DO NOTHING: of two replicas handed the same
        # delivery at once, exactly one gets a row count of 1.
        connection = await self._session.connection()
        values = {"source": source, "delivery_id": delivery_id, "received_at": self._clock.now()}
        result = await connection.execute(_record(connection.dialect.name), values)
        return bool(result.rowcount)
