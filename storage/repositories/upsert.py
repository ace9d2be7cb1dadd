"""INSERT … ON CONFLICT DO UPDATE for both supported databases.

One statement instead of select-then-insert, so two replicas writing the same
key at once cannot both insert and trip the primary key.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

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
