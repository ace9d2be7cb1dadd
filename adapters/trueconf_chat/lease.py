"""The lease on the bot's connection: one process at a time holds it. The
holder renews it well before it runs out; a process that dies stops renewing,
and another takes it once it has run out. The table is the storage's
(``connection_leases``, migration 0011); the adapter reaches it through the
bridge's database pool, as the Slack installation store does."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime, String, insert, or_, table, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

LEASES = table(
    "connection_leases",
    Column("name", String(64)),
    Column("holder", String(100)),
    Column("until", DateTime(timezone=True)),
)


class ConnectionLeases:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def hold(self, name: str, holder: str, now: datetime, until: datetime) -> bool:
        """Take or renew ``name`` for ``holder`` until ``until``: whether
        ``holder`` holds it now (not while another's lease runs)."""
        async with self._engine.begin() as connection:
            taken = await connection.execute(
                update(LEASES)
                .where(
                    LEASES.c.name == name,
                    or_(LEASES.c.holder == holder, LEASES.c.until <= now),
                )
                .values(holder=holder, until=until)
            )
            if taken.rowcount:
                return True
        try:
            async with self._engine.begin() as connection:
                await connection.execute(
                    insert(LEASES).values(name=name, holder=holder, until=until)
                )
        except IntegrityError:  # held by another (or taken just now)
            return False
        return True

    async def release(self, name: str, holder: str, now: datetime) -> None:
        """Hand ``name`` on at once (a stop), if ``holder`` still holds it."""
        async with self._engine.begin() as connection:
            await connection.execute(
                update(LEASES)
                .where(LEASES.c.name == name, LEASES.c.holder == holder)
                .values(until=now)
            )
