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

from sqlalchemy import text

from adapters.findings import Finding
from bot.errors import ConfigError
from bot.settings import Settings
from storage.db import build_engine, is_sqlite, normalize_url

_SETTINGS = text("SELECT current_setting('autovacuum'), current_setting('track_counts')")


async def check_upkeep(settings: Settings) -> list[Finding]:
    """A warning when this PostgreSQL server runs no autovacuum; nothing for
    SQLite, or for a database the ``database`` check already finds unusable."""
    try:
        if is_sqlite(normalize_url(settings.database_url)):
            return []
    except ConfigError:  # the settings check names it
        return []
    engine = build_engine(settings.database_url)
    try:
        async with engine.connect() as conn:
            autovacuum, track_counts = (await conn.execute(_SETTINGS)).one()
    except Exception:  # unreachable: the database check says why
        return []
    finally:
        await engine.dispose()
    return upkeep_findings(autovacuum=str(autovacuum), track_counts=str(track_counts))


def upkeep_findings(*, autovacuum: str, track_counts: str) -> list[Finding]:
    off = [
        name
        for name, value in (("autovacuum", autovacuum), ("track_counts", track_counts))
        if value != "on"
    ]
    if not off:
        return []
    return [
        Finding(
            "database upkeep",
            True,
            f"{' and '.join(off)} off on this PostgreSQL server: the dead rows of finished "
            "commands and sent reminders are never reclaimed, and a table never analysed "
            "keeps the planner's guess of an empty one, so the command queue's statements "
            "slow with every command; turn it back on (autovacuum = on and track_counts = "
            "on, the defaults) or run VACUUM ANALYZE every few minutes",
            warning=True,
        )
    ]
