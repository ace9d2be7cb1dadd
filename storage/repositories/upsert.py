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


async def upsert(
    session: AsyncSession, model: type[Base], values: Mapping[str, Any], keys: Sequence[str]
) -> None:
    changes = {name: value for name, value in values.items() if name not in keys}
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        pg = postgresql.insert(model).values(dict(values))
        await session.execute(pg.on_conflict_do_update(index_elements=list(keys), set_=changes))
    elif dialect == "sqlite":
        lite = sqlite.insert(model).values(dict(values))
        await session.execute(lite.on_conflict_do_update(index_elements=list(keys), set_=changes))
    else:  # normalize_url admits only the two above
        raise NotImplementedError(f"upsert on {dialect}")


def insert_skipping_conflicts(
    session: AsyncSession, model: type[Base], keys: Sequence[str] | None = None
) -> Insert:
    """INSERT … ON CONFLICT DO NOTHING on ``keys`` (on any unique key when
    ``None``): a conflicting row is skipped, and the transaction stays usable,
    with no savepoint around the statement."""
    dialect = session.get_bind().dialect.name
    index = None if keys is None else list(keys)
    if dialect == "postgresql":
        return postgresql.insert(model).on_conflict_do_nothing(index_elements=index)
    if dialect == "sqlite":
        return sqlite.insert(model).on_conflict_do_nothing(index_elements=index)
    raise NotImplementedError(f"insert skipping conflicts on {dialect}")
