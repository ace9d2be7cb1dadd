"""Run and inspect the schema migrations from code.

The Alembic configuration is built here, pointing at the ``migrations``
directory inside this package, so neither the working directory nor an
``alembic.ini`` matters. Callers already inside an event loop (the service,
the CLI's ``asyncio.run``) await these functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.db import build_engine, normalize_url

VERSION_TABLE = "alembic_version"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

# Any constant; serialises concurrent upgrades (several replicas starting at once).
_PG_LOCK_KEY = 0x6D656574  # "meet"


@dataclass(frozen=True)
class Upgraded:
    """What ``upgrade`` found and left: the revision the database was at
    (``None``: no schema yet) and the one it is at now."""

    before: str | None
    after: str | None

    def sentence(self, where: str) -> str:
        """What was done to the database ``where``, for a person."""
        if self.before is None:
            return f"created the schema of {where} at revision {self.after}"
        if self.before == self.after:
            return f"{where} is already up to date at revision {self.after}"
        return f"upgraded {where} from revision {self.before} to {self.after}"


def storage_owns(
    _obj: object, _name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Alembic's ``include_object`` for storage's chain: a table found in the
    database but not in ``storage.models`` is another owner's (the Slack
    adapter keeps its installations in tables it migrates itself), never one
    for storage to drop. A table storage's own migrations leave behind is
    caught by the test that lists the tables they make."""
    return not (type_ == "table" and reflected and compare_to is None)


def alembic_config(database_url: str) -> Config:
    """An Alembic ``Config`` for this package's migrations (no ini file)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # ConfigParser interpolates '%': escape it (URL-encoded passwords contain it).
    url = normalize_url(database_url).render_as_string(hide_password=False)
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision() -> str:
    """The newest revision shipped with this package."""
    script = ScriptDirectory(str(MIGRATIONS_DIR))
    head = script.get_current_head()
    if head is None:  # pragma: no cover - the package always ships 0001
        raise RuntimeError("no migrations found in " + str(MIGRATIONS_DIR))
    return head


def known_revisions() -> set[str]:
    """Every revision shipped with this package (a database at another one
    was migrated by a newer version)."""
    script = ScriptDirectory(str(MIGRATIONS_DIR))
    return {revision.revision for revision in script.walk_revisions()}


async def upgrade(database_url: str, revision: str = "head") -> Upgraded:
    """Bring the database to ``revision`` (default: newest). Idempotent.
    The revisions before and after are read under the same lock, so a
    replica that migrated meanwhile is told as 'already up to date'."""
    config = alembic_config(database_url)
    engine = build_engine(database_url)
    try:
        async with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                await connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY}
                )
            return await connection.run_sync(_run_upgrade, config, revision)
    finally:
        await engine.dispose()


def _run_upgrade(connection: Connection, config: Config, revision: str) -> Upgraded:
    before = _read_revision(connection)
    # env.py picks this connection up instead of opening its own.
    config.attributes["connection"] = connection
    command.upgrade(config, revision)
    return Upgraded(before, _read_revision(connection))


async def current_revision(database_url: str) -> str | None:
    """The revision the database is at; ``None`` for a database never migrated."""
    engine = build_engine(database_url)
    try:
        return await _current(engine)
    finally:
        await engine.dispose()


async def is_up_to_date(database_url: str) -> bool:
    """True when the database is at the newest revision (for health checks)."""
    return await current_revision(database_url) == head_revision()


async def revision_of(engine: AsyncEngine) -> str | None:
    """The revision of the database behind ``engine`` (the caller's pool), read
    quietly for health checks: ``None`` for a database never migrated."""
    async with engine.connect() as connection:
        migrated = await connection.run_sync(lambda sync: inspect(sync).has_table(VERSION_TABLE))
        if not migrated:
            return None
        result = await connection.execute(text("SELECT version_num FROM alembic_version"))
        revision: str | None = result.scalar_one_or_none()
        return revision


async def _current(engine: AsyncEngine) -> str | None:
    async with engine.connect() as connection:
        return await connection.run_sync(_read_revision)


def _read_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()
