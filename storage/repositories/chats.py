"""Moving a chat's rows to its new id (``ChatMoves``)."""

from __future__ import annotations

from sqlalchemy import delete, exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.chat import ChatRef
from storage.models import ChatSettingsRow, MeetingRow, ScheduledActionRow


class SqlChatMoves:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def move(self, old: ChatRef, new: ChatRef) -> int:
        session = self._session
        meetings = await session.execute(
            update(MeetingRow)
            .where(MeetingRow.chat_key == old.key)
            .values(chat_key=new.key, chat_id=new.chat_id)
        )
        # Every row, sent ones too: the ledger's unique key includes the
        # recipient, so a reminder already sent must not look unsent under the new id.
        await session.execute(
            update(ScheduledActionRow)
            .where(ScheduledActionRow.recipient == old.key)
            .values(recipient=new.key)
        )
        # Settings made in the new chat already win over the old chat's.
        new_has_settings = await session.scalar(
            select(exists().where(ChatSettingsRow.chat_key == new.key))
        )
        if new_has_settings:
            old_settings = delete(ChatSettingsRow).where(ChatSettingsRow.chat_key == old.key)
            await session.execute(old_settings)
        else:
            await session.execute(
                update(ChatSettingsRow)
                .where(ChatSettingsRow.chat_key == old.key)
                .values(chat_key=new.key)
            )
        return int(meetings.rowcount)  # type: ignore[attr-defined]
