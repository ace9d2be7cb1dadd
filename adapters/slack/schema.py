"""Creating and upgrading the Slack adapter's tables (``adapters.slack.tables``).

The tables are the adapter's, so are their migrations: an Alembic chain of
their own in ``adapters/slack/migrations``, recorded in a version table of
their own (``slack_alembic_version``) beside the bridge's ``alembic_version``.
The two chains never meet: ``storage`` neither defines nor migrates a Slack
table, and this module never touches the bridge's tables. A chain of its own,
rather than a branch of ``storage``'s, keeps ``storage``'s single head (its
health checks and ``meetbridge db`` read one revision) and lets the adapter
change its layout when slack-sdk does, with an ordinary migration; rather than
"create if absent" alone, which could not change a layout once rows exist.

Databases from before the move already have both tables: ``storage``'s
migration 0003 created them, with this layout. The chain's first revision
adopts them as they are (after checking their columns) and creates them only
where they are absent, so an installation stored before is read as before.

It runs on the connection pool the composition root hands the adapter (no
engine of its own), through the Slack edge's ``tables`` in multi-workspace
mode, where the store is used: by ``serve`` after storage's migrations and
before any component starts, and by ``meetbridge db upgrade``. On PostgreSQL
an advisory lock serialises replicas starting at once.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

VERSION_TABLE = "slack_alembic_version"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

# Any constant other than storage's; serialises concurrent upgrades.
_PG_LOCK_KEY = 0x736C6163  # "slac"


def migration_config(connection: Connection) -> Config:
    """The Alembic configuration of the Slack tables' chain, on ``connection``
    (the env script refuses to run without one)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()
    if head is None:  # pragma: no cover - the adapter always ships its first revision
        raise RuntimeError("no migrations found in " + str(MIGRATIONS_DIR))
    return head


async def upgrade_tables(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the Slack tables to ``revision`` (default: newest). Idempotent."""
    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            await connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY}
            )
        await connection.run_sync(lambda sync: command.upgrade(migration_config(sync), revision))


async def tables_revision(engine: AsyncEngine) -> str | None:
    """The revision the Slack tables are at; ``None`` before their first."""
    async with engine.connect() as connection:
        return await connection.run_sync(
            lambda sync: MigrationContext.configure(
                sync, opts={"version_table": VERSION_TABLE}
            ).get_current_revision()
        )
