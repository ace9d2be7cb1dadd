"""Processed messenger deliveries: a retried webhook is recognised and skipped."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from storage.models import ProcessedDeliveryRow
from storage.repositories.upsert import insert_skipping_conflicts


class SqlDeliveryLog:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    async def first_time(self, source: str, delivery_id: str) -> bool:
        # INSERT … ON CONFLICT DO NOTHING: of two replicas handed the same
        # delivery at once, exactly one gets a row count of 1.
        values = {"source": source, "delivery_id": delivery_id, "received_at": self._clock.now()}
        statement = insert_skipping_conflicts(self._session, ProcessedDeliveryRow)
        result = await self._session.execute(statement.values(values))
        return bool(result.rowcount)  # type: ignore[attr-defined]
