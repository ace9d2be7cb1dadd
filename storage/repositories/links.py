"""Messenger user -> conference server login, approved or waiting for an admin."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Row, delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.chat import Platform, UserRef
from bot.clock import Clock
from bot.ports import LinkRecord
from storage.models import UserLinkRow
from storage.repositories.upsert import upsert

_KEYS = ("platform", "workspace_id", "user_id")
R = TypeVar("R", UserLinkRow, Row[Any])
ACTIVE, PENDING = "active", "pending"


def best_link(user: UserRef, rows: list[R]) -> R | None:
    """Of the rows found for ``user`` (by id or handle), the one that names
    them: an exact id wins over a handle, an approved link over a request."""
    handle = user.handle.lower()
    mine = [r for r in rows if r.user_id == user.user_id or (handle and r.handle == handle)]
    mine.sort(key=lambda row: (row.user_id != user.user_id, row.status != ACTIVE))
    return mine[0] if mine else None


class SqlUserLinkRepository:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    async def _row(self, user: UserRef) -> UserLinkRow | None:
        """By user id; else by handle. An exact id always wins over a handle."""
        same_person = UserLinkRow.user_id == user.user_id
        if user.handle:
            same_person = or_(same_person, UserLinkRow.handle == user.handle.lower())
        result = await self._session.execute(
            select(UserLinkRow).where(
                UserLinkRow.platform == user.platform,
                UserLinkRow.workspace_id == user.workspace_id,
                same_person,
            )
        )
        return best_link(user, list(result.scalars()))

    async def get(self, user: UserRef) -> str | None:
        row = await self._row(user)
        return row.login if row is not None and row.status == ACTIVE else None

    async def find(self, user: UserRef) -> LinkRecord | None:
        row = await self._row(user)
        if row is None:
            return None
        platform: Platform = row.platform
        stored = UserRef(
            platform,
            row.workspace_id,
            row.user_id,
            display_name=row.display_name or row.handle or row.user_id,
            handle=row.handle or "",
        )
        return LinkRecord(stored, row.login, pending=row.status == PENDING)

    async def set(
        self, user: UserRef, login: str, *, linked_by: UserRef, pending: bool = False
    ) -> None:
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
                "status": PENDING if pending else ACTIVE,
                "handle": user.handle.lower() or None,
                "display_name": user.display_name or None,
            },
            _KEYS,
        )

    async def remove(self, user: UserRef) -> bool:
        row = await self._row(user)
        if row is None:
            return False
        await self._session.execute(
            delete(UserLinkRow).where(
                UserLinkRow.platform == row.platform,
                UserLinkRow.workspace_id == row.workspace_id,
                UserLinkRow.user_id == row.user_id,
            )
        )
        return True
