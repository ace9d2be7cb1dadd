"""Each watched meeting's card and live state (``LiveCards``)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.live.model import LiveRecord, LiveView, Participant
from bot.meeting import LiveState
from storage.models import LiveCardRow as L
from storage.repositories.chunks import chunks
from storage.repositories.upsert import insert_or_update, insert_skipping_conflicts


def live_values(record: LiveRecord) -> dict[str, Any]:
    return {
        "meeting_id": record.meeting_id,
        "chat_key": record.chat_key,
        "message_id": record.message_id,
        "shown": None if record.shown is None else record.shown.encode(),
        "phase": record.phase.value,
        "running_since": record.running_since,
        "empty_since": record.empty_since,
        "idle_noted": record.idle_noted,
        "seen": [[p.name, p.guest] for p in record.seen],
    }


def _seen(data: object) -> tuple[Participant, ...]:
    if not isinstance(data, list):
        return ()
    return tuple(
        Participant(str(item[0]), bool(item[1]))
        for item in data
        if isinstance(item, list) and len(item) == len(("name", "guest"))
    )


def _record(row: L | Any) -> LiveRecord:
    return LiveRecord(
        meeting_id=row.meeting_id,
        chat_key=row.chat_key,
        message_id=row.message_id,
        shown=LiveView.decode(row.shown),
        phase=LiveState(row.phase),
        running_since=row.running_since,
        empty_since=row.empty_since,
        idle_noted=row.idle_noted,
        seen=_seen(row.seen),
        polled_at=row.polled_at,
    )


class SqlLiveCards:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, meeting_id: int) -> LiveRecord | None:
        row = await self._session.get(L, meeting_id)
        return None if row is None else _record(row)

    async def get_many(self, meeting_ids: Collection[int]) -> dict[int, LiveRecord]:
        ids = sorted(set(meeting_ids))
        connection = await self._session.connection()
        found: dict[int, LiveRecord] = {}
        for chunk in chunks(ids):
            rows = await connection.execute(select(L.__table__).where(L.meeting_id.in_(chunk)))
            found.update((row.meeting_id, _record(row)) for row in rows)
        return found

    async def save(self, record: LiveRecord) -> None:
        # polled_at belongs to take_turn, message_id to set_card: a save
        # changes neither of an existing row.
        values = live_values(record)
        changes = {k: v for k, v in values.items() if k not in ("meeting_id", "message_id")}
        statement = insert_or_update(self._session, L, values, ["meeting_id"], changes)
        await self._session.execute(statement)

    async def save_turn(self, record: LiveRecord, turn: datetime) -> bool:
        values = live_values(record)
        changes = {k: v for k, v in values.items() if k not in ("meeting_id", "message_id")}
        result = await self._session.execute(
            update(L).where(L.meeting_id == record.meeting_id, L.polled_at == turn).values(changes)
        )
        return int(result.rowcount) == 1  # type: ignore[attr-defined]

    async def set_card(self, meeting_id: int, message_id: str) -> bool:
        result = await self._session.execute(
            update(L).where(L.meeting_id == meeting_id).values(message_id=message_id)
        )
        return int(result.rowcount) == 1  # type: ignore[attr-defined]

    async def take_turn(self, meeting_id: int, now: datetime, not_since: datetime) -> bool:
        await self._session.execute(
            insert_skipping_conflicts(self._session, L, ["meeting_id"]).values(
                meeting_id=meeting_id, seen=[]
            )
        )
        result = await self._session.execute(
            update(L)
            .where(
                L.meeting_id == meeting_id,
                or_(L.polled_at.is_(None), L.polled_at <= not_since),
            )
            .values(polled_at=now)
        )
        return int(result.rowcount) == 1  # type: ignore[attr-defined]
