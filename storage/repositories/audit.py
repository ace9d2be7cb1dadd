"""Who ran which command where, and how it ended."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.chat import ChatRef, UserRef
from bot.clock import Clock
from storage.models import AuditRow


class SqlAuditLog:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    async def record(
        self, *, chat: ChatRef, user: UserRef, command: str, outcome: str, detail: str = ""
    ) -> None:
        self._session.add(
            AuditRow(
                at=self._clock.now(),
                chat_key=chat.key,
                user_key=user.key,
                command=command,
                outcome=outcome,
                detail=detail,
            )
        )
        # Flush now so a bad row fails here, next to its cause, not at commit.
        await self._session.flush()
