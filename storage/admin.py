"""What the admin commands read and change, outside the core's unit of work:
the migration history, the audit log's tail, reminders by status, and a
failed reminder put back in line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from alembic.script import ScriptDirectory
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.migrate import MIGRATIONS_DIR
from storage.models import AuditRow, ScheduledActionRow


@dataclass(frozen=True, slots=True)
class Revision:
    revision: str
    down_revision: str | None
    summary: str


def revisions() -> list[Revision]:
    """Every migration shipped with this package, oldest first."""
    script = ScriptDirectory(str(MIGRATIONS_DIR))
    found = [
        Revision(
            revision=rev.revision,
            down_revision=rev.down_revision if isinstance(rev.down_revision, str) else None,
            summary=" ".join((rev.doc or "").split()),
        )
        for rev in script.walk_revisions()
    ]
    return list(reversed(found))


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: datetime
    chat: str
    user: str
    command: str
    outcome: str
    detail: str


async def audit_tail(engine: AsyncEngine, limit: int, after: int = 0) -> list[AuditEntry]:
    """The newest ``limit`` entries with an id above ``after``, oldest first."""
    query = select(AuditRow).where(AuditRow.id > after).order_by(AuditRow.id.desc()).limit(limit)
    async with engine.connect() as connection:
        rows = (await connection.execute(query)).all()
    return [
        AuditEntry(r.id, r.at, r.chat_key, r.user_key, r.command, r.outcome, r.detail)
        for r in reversed(rows)
    ]


@dataclass(frozen=True, slots=True)
class ReminderEntry:
    id: int
    meeting_id: int
    kind: str
    recipient: str
    fire_at: datetime
    status: str
    attempts: int
    last_error: str | None


async def reminders_with(engine: AsyncEngine, statuses: tuple[str, ...]) -> list[ReminderEntry]:
    """Ledger rows in ``statuses``, by fire time."""
    A = ScheduledActionRow
    query = select(A).where(A.status.in_(statuses)).order_by(A.fire_at, A.id)
    async with engine.connect() as connection:
        rows = (await connection.execute(query)).all()
    return [
        ReminderEntry(
            r.id, r.meeting_id, r.kind, r.recipient, r.fire_at, r.status, r.attempts, r.last_error
        )
        for r in rows
    ]


async def retry_failed(engine: AsyncEngine, action_id: int, now: datetime) -> bool:
    """Put a failed row back in line, due now with its attempts reset; False
    when there is no failed row of that id (nothing else is touched)."""
    A = ScheduledActionRow
    statement = (
        update(A)
        .where(A.id == action_id, A.status == "failed")
        .values(
            status="pending",
            attempts=0,
            available_at=now,
            lease_owner=None,
            lease_until=None,
            last_error=None,
        )
    )
    async with engine.begin() as connection:
        result = await connection.execute(statement)
    return bool(result.rowcount)
