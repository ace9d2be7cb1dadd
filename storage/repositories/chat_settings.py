"""Per-chat preferences (zone, language, backend)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.chat import LANGS, ChatRef, Lang
from bot.clock import Clock
from bot.ports import ChatSettings
from storage.models import ChatSettingsRow
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
