"""What a command reads before it acts, in one statement: the chat's
settings and the links of the people it names (``CommandReads``)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from itertools import groupby
from typing import Any

from sqlalchemy import JSON, String, bindparam, literal, null, or_, select, union_all
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
        groups = [list(g) for _, g in groupby(sorted(unique, key=_workspace), _workspace)]
        params: dict[str, Any] = {"chat_key": chat.key}
        for n, group in enumerate(groups):
            params[f"platform{n}"], params[f"workspace{n}"] = _workspace(group[0])
            params[f"ids{n}"] = [p.user_id for p in group]
            params[f"handles{n}"] = [p.handle.lower() for p in group if p.handle]
        # Core on the session's connection: nothing here maps to ORM objects.
        connection = await self._session.connection()
        rows = (await connection.execute(_statement(len(groups)), params)).all()
        settings_row = next((r for r in rows if r.part == "settings"), None)
        found = [r for r in rows if r.part == "link"]
        logins: dict[str, str | None] = {}
        for person in unique:
            theirs = [r for r in found if (r.platform, r.workspace_id) == _workspace(person)]
            row = best_link(person, theirs)
            approved = row is not None and row.status == ACTIVE
            logins[link_key(person)] = row.login if approved and row is not None else None
        settings = settings_of(settings_row) if settings_row is not None else ChatSettings()
        return CommandContext(settings, logins)


@lru_cache(maxsize=8)
def _statement(groups: int) -> Any:
    """The settings row, then the link rows of ``groups`` workspaces' people:
    parameters ``chat_key``, and ``platform{n}``, ``workspace{n}``, ``ids{n}``
    and ``handles{n}`` (lists) for each. Built once per number of workspaces
    (one, nearly always), so it is compiled once."""
    s, link = ChatSettingsRow, UserLinkRow
    none = null().cast(String)
    parts = [
        select(
            literal("settings").label("part"),
            s.zone,
            s.lang,
            s.backend,
            s.reminder_offsets,
            none.label("platform"),
            none.label("workspace_id"),
            none.label("user_id"),
            none.label("handle"),
            none.label("login"),
            none.label("status"),
        ).where(s.chat_key == bindparam("chat_key"))
    ]
    for n in range(groups):
        who = or_(
            link.user_id.in_(bindparam(f"ids{n}", expanding=True)),
            link.handle.in_(bindparam(f"handles{n}", expanding=True)),
        )
        parts.append(
            select(
                literal("link"),
                none,
                none,
                none,
                null().cast(JSON),
                link.platform,
                link.workspace_id,
                link.user_id,
                link.handle,
                link.login,
                link.status,
            ).where(
                link.platform == bindparam(f"platform{n}"),
                link.workspace_id == bindparam(f"workspace{n}"),
                who,
            )
        )
    return union_all(*parts)
