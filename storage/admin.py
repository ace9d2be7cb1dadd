"""What the admin commands read and change, outside the core's unit of work:
the migration history, the audit log's tail, reminders by status (and a
failed one put back in line), meetings, and links (a request approved, a link
removed: both written to the audit log, by "cli")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy import Insert, Row, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.meeting import LiveState, MeetingStatus
from bot.states import current_state, start_shown
from storage.mapping import meeting_of
from storage.migrate import MIGRATIONS_DIR
from storage.models import AuditRow, MeetingRow, ScheduledActionRow, UserLinkRow
from storage.repositories.meetings import bridge_number


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


# The stored columns an admin reads.
_MEETING_STORED = (
    "id",
    "backend",
    "conference_id",
    "chat_key",
    "creator_key",
    "creator_name",
    "topic",
    "schedule_kind",
    "start_utc",
    "weekly_days",
    "weekly_time",
    "zone",
    "duration_seconds",
    "owner_login",
    "page_url",
    "browser_url",
    "status",
    "created_at",
    "state_since",
)
# With what the bot shows of each: its state now (scheduled, running, ended;
# or cancelled) and the start its card names (when one made to start at
# once was made, a weekly meeting's next).
MEETING_COLUMNS = (*_MEETING_STORED, "state", "start")
# The states a meeting is shown in, as the chats name them.
MEETING_STATES = (*(state.value for state in LiveState), MeetingStatus.CANCELLED.value)


def _as_shown(row: Row[Any], now: datetime) -> dict[str, object]:
    stored: dict[str, object] = {name: getattr(row, name) for name in _MEETING_STORED}
    try:
        meeting = meeting_of(row, ())
    except ValueError:  # a schedule stored incomplete: only what is stored
        return stored | {"state": row.live_state, "start": row.start_utc}
    state = "cancelled" if row.status == "cancelled" else current_state(meeting, now).value
    return stored | {"state": state, "start": start_shown(meeting, now)}


async def meetings(
    engine: AsyncEngine,
    *,
    now: datetime,
    state: str | None = None,
    ref: str | None = None,
) -> list[dict[str, object]]:
    """Meetings as plain rows (the columns an admin reads), by id. ``state``:
    only those in it now (one of ``MEETING_STATES``). ``ref``: the one the
    bot's number names (``3``, ``#3``), else those of that conference id (one
    per server)."""
    query = select(MeetingRow.__table__).order_by(MeetingRow.id)
    if state == MeetingStatus.CANCELLED:
        query = query.where(MeetingRow.status == state)
    elif state is not None:  # the others depend on the clock: read, then kept
        query = query.where(MeetingRow.status != MeetingStatus.CANCELLED)
    async with engine.connect() as connection:
        if ref is None:
            rows = (await connection.execute(query)).all()
        else:
            ref = ref.strip()
            number = bridge_number(ref)
            rows = []
            if number is not None:
                rows = (await connection.execute(query.where(MeetingRow.id == number))).all()
            if not rows and ref and not ref.startswith("#"):
                by_conference = query.where(MeetingRow.conference_id == ref)
                rows = (await connection.execute(by_conference)).all()
    shown = [_as_shown(row, now) for row in rows]
    return shown if state is None else [row for row in shown if row["state"] == state]


LINK_COLUMNS = (
    "platform",
    "workspace_id",
    "user_id",
    "login",
    "status",
    "handle",
    "display_name",
    "linked_by",
    "linked_at",
)


def person_of(text: str) -> tuple[str, str, str]:
    """``telegram:7012345678:501`` (the bot's id, the person's) or
    ``slack:T0123:U0456`` (platform, workspace, user):
    how ``links approve`` and ``links remove`` name a person. The workspace
    is all between the first ``:`` and the last: it may hold colons itself
    (a TrueConf chat server named by an IPv6 address)."""
    platform, _, rest = text.partition(":")
    workspace, _, user = rest.rpartition(":")
    if platform and user and (workspace or ":" not in rest):
        return platform, workspace, user
    raise ValueError(
        f"{text!r} is not a person: write it as `meetbridge links list` shows it, "
        "telegram:<bot id>:<user id> or slack:<team>:<user>"
    )


def person_key(platform: str, workspace: str, user: str) -> str:
    """The person as ``person_of`` reads it back."""
    return ":".join(part for part in (platform, workspace, user) if part)


async def links(engine: AsyncEngine, *, status: str | None = None) -> list[dict[str, object]]:
    """Each link or request, with ``person``: what ``links approve`` takes."""
    U = UserLinkRow
    query = select(*(getattr(U, name) for name in LINK_COLUMNS)).order_by(
        U.platform, U.workspace_id, U.user_id
    )
    if status is not None:
        query = query.where(U.status == status)
    async with engine.connect() as connection:
        rows = (await connection.execute(query)).all()
    return [
        {"person": person_key(row.platform, row.workspace_id, row.user_id)}
        | dict(zip(LINK_COLUMNS, row, strict=True))
        for row in rows
    ]


def _audit(person: tuple[str, str, str], command: str, detail: str, now: datetime) -> Insert:
    return insert(AuditRow).values(
        at=now,
        chat_key="cli",
        user_key="cli",
        command=command,
        outcome="ok",
        detail=f"{person_key(*person)} {detail}".strip(),
    )


async def approve_link(engine: AsyncEngine, person: tuple[str, str, str], now: datetime) -> bool:
    """A pending link request becomes a link (audited); False when there is none."""
    U = UserLinkRow
    platform, workspace, user = person
    async with engine.begin() as connection:
        result = await connection.execute(
            update(U)
            .where(
                U.platform == platform,
                U.workspace_id == workspace,
                U.user_id == user,
                U.status == "pending",
            )
            .values(status="active", linked_by="cli", linked_at=now)
        )
        if not result.rowcount:
            return False
        await connection.execute(_audit(person, "link", "approved from the command line", now))
    return True


async def remove_link(engine: AsyncEngine, person: tuple[str, str, str], now: datetime) -> bool:
    """The person's link or request removed (audited); False when there is none."""
    U = UserLinkRow
    platform, workspace, user = person
    async with engine.begin() as connection:
        result = await connection.execute(
            delete(U).where(U.platform == platform, U.workspace_id == workspace, U.user_id == user)
        )
        if not result.rowcount:
            return False
        await connection.execute(_audit(person, "unlink", "removed from the command line", now))
    return True
