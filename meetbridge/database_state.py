"""Where the database stands before anything uses it, said in one sentence:
a SQLite file (or its directory) that does not exist yet, no meetbridge tables
yet, migrations still to apply, or a revision this version does not know.
Finding out creates nothing: a missing SQLite file is reported, not opened."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from bot.settings import redact_url
from storage.db import build_engine, is_sqlite, normalize_url
from storage.migrate import head_revision, known_revisions, revision_of


class Stage(Enum):
    NO_DIRECTORY = "no directory"
    NO_FILE = "no file"
    UNMIGRATED = "unmigrated"
    BEHIND = "behind"
    CURRENT = "current"
    NEWER = "newer"


@dataclass(frozen=True)
class DatabaseState:
    stage: Stage
    where: str  # the file, or the URL without its password
    revision: str | None = None

    @property
    def usable(self) -> bool:
        return self.stage is Stage.CURRENT

    def sentence(self) -> str:
        """What the state means, and what to do about it."""
        head = head_revision()
        match self.stage:
            case Stage.NO_DIRECTORY:
                return f"{self.where}: its directory {Path(self.where).parent} does not exist"
            case Stage.NO_FILE:
                return f"{self.where} does not exist yet"
            case Stage.UNMIGRATED:
                return f"{self.where} has no meetbridge tables yet"
            case Stage.BEHIND:
                return f"{self.where} is at revision {self.revision}, not {head}"
            case Stage.NEWER:
                return (
                    f"{self.where} is at revision {self.revision}, which this version does not "
                    f"know (its newest is {head}): a newer meetbridge migrated it; run that version"
                )
            case Stage.CURRENT:
                return f"{self.where} is at revision {head}"


async def database_state(database_url: str) -> DatabaseState:
    """Raises ``ConfigError`` for a DATABASE_URL that does not parse, and the
    driver's error for a database that cannot be reached."""
    missing = _missing_sqlite_file(database_url)
    if missing is not None:
        return missing
    where = redact_url(database_url)
    engine = build_engine(database_url)
    try:
        revision = await revision_of(engine)
    finally:
        await engine.dispose()
    if revision is None:
        return DatabaseState(Stage.UNMIGRATED, where)
    if revision == head_revision():
        return DatabaseState(Stage.CURRENT, where, revision)
    if revision in known_revisions():
        return DatabaseState(Stage.BEHIND, where, revision)
    return DatabaseState(Stage.NEWER, where, revision)


def _missing_sqlite_file(database_url: str) -> DatabaseState | None:
    # Checked before connecting: SQLite would create the file (and the
    # engine its directory).
    url = normalize_url(database_url)
    if not is_sqlite(url) or url.database in (None, "", ":memory:"):
        return None
    path = Path(str(url.database)).expanduser()
    if not path.parent.is_dir():
        return DatabaseState(Stage.NO_DIRECTORY, str(path))
    if not path.exists():
        return DatabaseState(Stage.NO_FILE, str(path))
    return None
