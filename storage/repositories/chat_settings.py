"""Per-chat preferences (zone, language, backend)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import timedelta
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.chat import LANGS, ChatRef, Lang
from bot.clock import Clock
from bot.ports import ChatSettings
from storage.models import ChatSettingsRow
from storage.repositories.chunks import chunks
from storage.repositories.upsert import upsert


def _lang(value: str | None) -> Lang | None:
    # A language dropped from the catalog falls back to the default, not a crash.
    for lang in LANGS:
        if lang == value:
            return lang
    return None


def settings_of(row: Row[Any] | Any) -> ChatSettings:
    """The settings from a row of (zone, lang, backend, reminder_offsets)."""
    if row is None:
        return ChatSettings()
    reminders = (
        None
        if row.reminder_offsets is None
        else tuple(timedelta(seconds=s) for s in row.reminder_offsets)
    )
    return ChatSettings(
        zone=row.zone, lang=_lang(row.lang), backend=row.backend, reminders=reminders
    )


_SETTINGS = select(
    ChatSettingsRow.chat_key,
    ChatSettingsRow.zone,
    ChatSettingsRow.lang,
    ChatSettingsRow.backend,
    ChatSettingsRow.reminder_offsets,
)


class SqlChatSettingsRepository:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    async def get(self, chat: ChatRef) -> ChatSettings:
        result = await self._session.execute(
            select(
                ChatSettingsRow.zone,
                ChatSettingsRow.lang,
                ChatSettingsRow.backend,
                ChatSettingsRow.reminder_offsets,
            ).where(ChatSettingsRow.chat_key == chat.key)
        )
        return settings_of(result.one_or_none())

    async def get_many(self, chats: Collection[ChatRef]) -> dict[str, ChatSettings]:
        keys = sorted({chat.key for chat in chats})
        found = dict.fromkeys(keys, ChatSettings())
        connection = await self._session.connection()
        for chunk in chunks(keys):
            rows = await connection.execute(_SETTINGS.where(ChatSettingsRow.chat_key.in_(chunk)))
            found.update((row.chat_key, settings_of(row)) for row in rows)
        return found

    async def save(self, chat: ChatRef, settings: ChatSettings) -> None:
        await upsert(
            self._session,
            ChatSettingsRow,
            {
                "chat_key": chat.key,
                "zone": settings.zone,
                "lang": settings.lang,
                "backend": settings.backend,
                "reminder_offsets": (
                    None
                    if settings.reminders is None
                    else [round(o.total_seconds()) for o in settings.reminders]
                ),
                "updated_at": self._clock.now(),
            },
            ("chat_key",),
        )
