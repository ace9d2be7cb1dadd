"""The scheduled-actions ledger as the core's ``ActionLedger``: rows written in
the unit of work of the meeting change they belong to."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import String, cast, delete, exists, func, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.ports.ledger import ActionKind, PlannedAction
from storage.models import MeetingRow, ScheduledActionRow
from storage.repositories.upsert import insert_skipping_conflicts

# Dispatchers LISTEN here; the payload is the earliest new fire time (ISO 8601).
NOTIFY_CHANNEL = "meetbridge_actions"


def action_values(meeting_id: int, action: PlannedAction, now: datetime) -> dict[str, Any]:
    return {
        "meeting_id": meeting_id,
        "kind": action.kind.value,
        "occurrence_start": action.occurrence_start,
        "offset_seconds": round(action.offset.total_seconds()),
        "recipient": action.recipient,
        "fire_at": action.fire_at,
        "available_at": action.fire_at,
        "status": "pending",
        "attempts": 0,
        "created_at": now,
    }


async def insert_new(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> int:
    """INSERT … ON CONFLICT DO NOTHING on the ledger's unique key: a row planned
    twice (two replicas rolling the same meeting forward) exists once."""
    if not rows:
        return 0
    statement = insert_skipping_conflicts(session, ScheduledActionRow).values(list(rows))
    result = await session.execute(statement)
    if session.get_bind().dialect.name == "postgresql":
        first = min(row["available_at"] for row in rows)
        # Delivered on commit, so a dispatcher never wakes for a row it cannot see.
        await session.execute(
            text("SELECT pg_notify(:channel, :payload)"),
            {"channel": NOTIFY_CHANNEL, "payload": first.isoformat()},
        )
    return int(result.rowcount)  # type: ignore[attr-defined]


class SqlActionLedger:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    async def add(self, meeting_id: int, actions: Sequence[PlannedAction]) -> int:
        now = self._clock.now()
        return await insert_new(self._session, [action_values(meeting_id, a, now) for a in actions])

    async def replace_pending(self, meeting_id: int, actions: Sequence[PlannedAction]) -> None:
        await self._session.execute(
            delete(ScheduledActionRow).where(
                ScheduledActionRow.meeting_id == meeting_id,
                ScheduledActionRow.status == "pending",
            )
        )
        await self.add(meeting_id, actions)

    async def pending(self, meeting_id: int) -> list[PlannedAction]:
        A = ScheduledActionRow
        rows = await self._session.execute(
            select(A.kind, A.occurrence_start, A.offset_seconds, A.recipient).where(
                A.meeting_id == meeting_id, A.status == "pending"
            )
        )
        return [
            PlannedAction(ActionKind(kind), start, timedelta(seconds=offset), recipient)
            for kind, start, offset, recipient in rows
        ]

    async def next_reminder(self, meeting_id: int) -> datetime | None:
        return (await self.next_reminders([meeting_id])).get(meeting_id)

    async def next_reminders(self, meeting_ids: Sequence[int]) -> dict[int, datetime]:
        if not meeting_ids:
            return {}
        row = ScheduledActionRow
        result = await self._session.execute(
            select(row.meeting_id, func.min(row.fire_at).label("next_at"))
            .where(
                row.meeting_id.in_(meeting_ids),
                row.kind == ActionKind.REMIND.value,
                row.status == "pending",
            )
            .group_by(row.meeting_id)
        )
        return {row.meeting_id: row.next_at for row in result}

    async def silent_weekly(self, room_backends: Collection[str]) -> dict[int, datetime | None]:
        row, meeting = ScheduledActionRow, MeetingRow
        live = exists().where(row.meeting_id == meeting.id, row.status.in_(("pending", "sending")))
        last = (
            select(func.max(row.occurrence_start))
            .where(row.meeting_id == meeting.id)
            .scalar_subquery()
        )
        result = await self._session.execute(
            select(meeting.id, last.label("last"))
            .where(
                meeting.schedule_kind == "weekly",
                meeting.status == "scheduled",
                # Something to plan: reminders (the JSON list is not empty), or a room.
                or_(
                    cast(meeting.reminder_offsets, String) != "[]",
                    meeting.backend.in_(list(room_backends)),
                ),
                ~live,
            )
            .order_by(meeting.id)
        )
        return {found.id: found.last for found in result}
