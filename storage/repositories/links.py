"""Messenger user -> conference server login."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.chat import UserRef
from bot.clock import Clock
from storage.models import UserLinkRow
from storage.repositories.upsert import upsert

_KEYS = ("platform", "workspace_id", "user_id")


class SqlUserLinkRepository:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    async def get(self, user: UserRef) -> str | None:
        result = await self._session.execute(
            select(UserLinkRow.login).where(
                UserLinkRow.platform == user.platform,
                UserLinkRow.workspace_id == user.workspace_id,
                UserLinkRow.user_id == user.user_id,
            )
        )
        return result.scalar_one_or_none()

    async def set(self, user: UserRef, login: str, *, linked_by: UserRef) -> None:
        await upsert(
            self._session,
            UserLinkRow,
            {
                "platform": user.platform,
                "workspace_id": user.workspace_id,
                "user_id": user.user_id,
                "login": login,
                "linked_by": linked_by.key,
                "linked_at": self._clock.now(),
            },
            _KEYS,
        )

    async def remove(self, user: UserRef) -> bool:
        result = await self._session.execute(
            delete(UserLinkRow)
            .where(
                UserLinkRow.platform == user.platform,
                UserLinkRow.workspace_id == user.workspace_id,
                UserLinkRow.user_id == user.user_id,
            )
            .returning(UserLinkRow.login)
        )
        return result.first() is not None
