"""``doctor``'s check of PostgreSQL's upkeep: autovacuum must run.

The bridge's busiest tables churn (every command is written, claimed and
finished; every reminder claimed and sent), and PostgreSQL learns how they
grew, and reclaims their dead rows, only by VACUUM and ANALYZE. With
autovacuum off (or ``track_counts``, which it needs) a table never analysed
keeps the planner's guess of an empty one, and the command queue's statements
then read every row ever written: measured on this project's benchmark, the
median Slack acknowledgement grew from 7 to 13 ms over 1,800 commands, and
kept growing. SQLite needs no such upkeep."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import text

from adapters.findings import Finding
from bot.errors import ConfigError
from bot.settings import Settings
from storage.db import build_engine, is_sqlite, normalize_url

_SETTINGS = text("SELECT current_setting('autovacuum'), current_setting('track_counts')")
# Tables of this schema that an admin excluded from autovacuum one by one.
_EXCLUDED = text(
    "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE n.nspname = current_schema() AND c.relkind = 'r'"
    " AND 'autovacuum_enabled=false' = ANY(c.reloptions) ORDER BY c.relname"
)


async def check_upkeep(settings: Settings) -> list[Finding]:
    """A warning when this PostgreSQL server runs no autovacuum, or a table
    of ours is left out of it; nothing for SQLite, or for a database that
    cannot be reached (the ``database`` check says why)."""
    try:
        if is_sqlite(normalize_url(settings.database_url)):
            return []
    except ConfigError:  # the settings check names it
        return []
    engine = build_engine(settings.database_url)
    try:
        async with engine.connect() as conn:
            autovacuum, track_counts = (await conn.execute(_SETTINGS)).one()
            excluded = list((await conn.scalars(_EXCLUDED)).all())
    except Exception:  # unreachable: the database check says why
        return []
    finally:
        await engine.dispose()
    return upkeep_findings(
        autovacuum=str(autovacuum), track_counts=str(track_counts), excluded=excluded
    )


def upkeep_findings(
    *, autovacuum: str, track_counts: str, excluded: Sequence[str] = ()
) -> list[Finding]:
    off = [
        name
        for name, value in (("autovacuum", autovacuum), ("track_counts", track_counts))
        if value != "on"
    ]
    if not off and not excluded:
        return []
    said = [f"{' and '.join(off)} off on this PostgreSQL server"] if off else []
    if excluded:
        said.append(f"autovacuum turned off for {', '.join(excluded)}")
    where = ", and ".join(said)
    return [
        Finding(
            "database upkeep",
            True,
            f"{where}: the dead rows of finished "
            "commands and sent reminders are never reclaimed, and a table never analysed "
            "keeps the planner's guess of an empty one, so the command queue's statements "
            "slow with every command; turn it back on (autovacuum = on and track_counts = "
            "on, the defaults; ALTER TABLE … RESET (autovacuum_enabled) for one table) or "
            "run VACUUM ANALYZE every few minutes",
            warning=True,
        )
    ]
