"""Alembic environment for meetbridge, async-aware.

``storage.migrate`` passes an open connection in ``config.attributes``. Without
one (``alembic.command`` called directly), an engine is built from
``sqlalchemy.url`` and run on its own event loop; ``--sql`` (offline) works too.
"""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from storage.db import build_engine, normalize_url
from storage.migrate import storage_owns
from storage.models import Base

config = context.config
target_metadata = Base.metadata


def _run_on(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        include_object=storage_owns,  # other owners' tables are theirs
        render_as_batch=True,  # SQLite can only ALTER by copying tables
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_with_own_engine(url: str) -> None:
    engine = build_engine(url)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run_on)
            await connection.commit()
    finally:
        await engine.dispose()


def _main() -> None:
    connection = config.attributes.get("connection")
    url = config.get_main_option("sqlalchemy.url") or ""
    if connection is not None:
        _run_on(connection)
    elif context.is_offline_mode():
        context.configure(
            url=normalize_url(url),
            target_metadata=target_metadata,
            literal_binds=True,
            render_as_batch=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    else:
        asyncio.run(_run_with_own_engine(url))


_main()
