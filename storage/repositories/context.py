"""What a command reads before it acts, in one statement: the chat's
settings and the links of the people it names (``CommandReads``)."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby
from typing import Any

from sqlalchemy import JSON, ColumnElement, String, literal, null, or_, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from bot.chat import ChatRef, UserRef
from bot.clock import Clock
from bot.ports import ChatSettings, CommandContext, link_key
from storage.models import ChatSettingsRow, UserLinkRow
from storage.repositories.chat_settings import SqlChatSettingsRepository, settings_of
from storage.repositories.links import ACTIVE, SqlUserLinkRepository, best_link


def _workspace(user: UserRef) -> tuple[str, str]:
    return user.platform, user.workspace_id


class SqlCommandReads:
    """``fused``: one ``SELECT … UNION ALL SELECT …``; else the settings and each
    link read one after the other, as the repositories read them."""

    def __init__(self, session: AsyncSession, clock: Clock, *, fused: bool = True) -> None:
        self._session = session
        self._clock = clock
        self._fused = fused

    async def read(self, chat: ChatRef, people: Sequence[UserRef]) -> CommandContext:
        unique = list({link_key(p): p for p in people}.values())
        if not self._fused:
            settings = await SqlChatSettingsRepository(self._session, self._clock).get(chat)
            links = SqlUserLinkRepository(self._session, self._clock)
            return CommandContext(settings, {link_key(p): await links.get(p) for p in unique})
        rows = (await self._session.execute(self._statement(chat, unique))).all()
        settings_row = next((r for r in rows if r.part == "settings"), None)
        found = [r for r in rows if r.part == "link"]
        logins: dict[str, str | None] = {}
        for person in unique:
            row = best_link(person, found)
            approved = row is not None and row.status == ACTIVE
            logins[link_key(person)] = row.login if approved and row is not None else None
        settings = settings_of(settings_row) if settings_row is not None else ChatSettings()
        return CommandContext(settings, logins)

    @staticmethod
    def _statement(chat: ChatRef, people: list[UserRef]) -> Any:
        s, link = ChatSettingsRow, UserLinkRow
        none = null().cast(String)
        parts = [
            select(
                literal("settings").label("part"),
                s.zone,
                s.lang,
                s.backend,
                s.reminder_offsets,
                none.label("user_id"),
                none.label("handle"),
                none.label("login"),
                none.label("status"),
            ).where(s.chat_key == chat.key)
        ]
        for (platform, workspace), group in groupby(sorted(people, key=_workspace), _workspace):
            members = list(group)
            handles = [p.handle.lower() for p in members if p.handle]
            who: ColumnElement[bool] = link.user_id.in_([p.user_id for p in members])
            if handles:
                who = or_(who, link.handle.in_(handles))
            parts.append(
                select(
                    literal("link"),
                    none,
                    none,
                    none,
                    null().cast(JSON),
                    link.user_id,
                    link.handle,
                    link.login,
                    link.status,
                ).where(link.platform == platform, link.workspace_id == workspace, who)
            )
        return union_all(*parts)
