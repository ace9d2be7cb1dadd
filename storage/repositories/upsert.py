"""INSERT … ON CONFLICT for both supported databases.

One statement instead of select-then-insert, so two replicas writing the same
key at once cannot both insert and trip the primary key.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Base


def _insert(session: AsyncSession, model: type[Base]) -> postgresql.Insert | sqlite.Insert:
    """The dialect's own INSERT, the one that has ON CONFLICT."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(model)
    if dialect == "sqlite":
        return sqlite.insert(model)
    raise NotImplementedError(f"INSERT … ON CONFLICT on {dialect}")  # normalize_url admits two


async def upsert(
    session: AsyncSession, model: type[Base], values: Mapping[str, Any], keys: Sequence[str]
) -> None:
    changes = {name: value for name, value in values.items() if name not in keys}
    await session.execute(insert_or_update(session, model, values, keys, changes))


def insert_or_update(
    session: AsyncSession,
    model: type[Base],
    values: Mapping[str, Any],
    keys: Sequence[str],
    changes: Mapping[str, Any],
) -> Insert:
    """INSERT ``values``, or on a conflict over ``keys`` UPDATE only ``changes``."""
    statement = _insert(session, model).values(dict(values))
    return statement.on_conflict_do_update(index_elements=list(keys), set_=dict(changes))


def insert_skipping_conflicts(
    session: AsyncSession, model: type[Base], keys: Sequence[str] | None = None
) -> Insert:
    """INSERT … ON CONFLICT DO NOTHING on ``keys`` (on any unique key when
    ``None``): a conflicting row is skipped, and the transaction stays usable,
    with no savepoint around the statement."""
    index = None if keys is None else list(keys)
    return _insert(session, model).on_conflict_do_nothing(index_elements=index)
