"""Plain-line hints given, per personal chat (``bot.ports.PlainLineHints``)."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from bot.chat import ChatRef
from bot.clock import Clock
from storage.models import PlainLineHintRow
from storage.repositories.upsert import insert_skipping_conflicts


class SqlPlainLineHints:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    async def first_hint(self, chat: ChatRef) -> bool:
        # ON CONFLICT DO NOTHING: of two replicas at once, exactly one inserts.
        statement = insert_skipping_conflicts(self._session, PlainLineHintRow).values(
            chat_key=chat.key, hinted_at=self._clock.now()
        )
        result = await self._session.execute(statement)
        return bool(result.rowcount)  # type: ignore[attr-defined]  # a CursorResult

    async def forget(self, chat: ChatRef) -> None:
        await self._session.execute(
            delete(PlainLineHintRow).where(PlainLineHintRow.chat_key == chat.key)
        )
