"""Units of work without a transaction, on PostgreSQL: each statement commits
by itself (``storage.db.autocommit_sessions``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession


def autocommits(session: AsyncSession) -> bool:
    """Whether each statement of ``session`` commits by itself."""
    bind = session.bind
    if not isinstance(bind, AsyncEngine) or bind.dialect.name != "postgresql":
        return False  # SQLite's units of work keep a (deferred) transaction
    return bind.get_execution_options().get("isolation_level") == "AUTOCOMMIT"


@asynccontextmanager
async def in_transaction(session: AsyncSession) -> AsyncIterator[None]:
    """Statements that must be atomic together, as a write's first statements:
    in a session that autocommits, its connection is taken in a transaction
    (committed by the unit of work's ``commit``, rolled back without it)."""
    if autocommits(session):
        await session.connection(execution_options={"isolation_level": "READ COMMITTED"})
    yield
