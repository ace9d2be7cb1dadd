"""Who ran which command where, and how it ended."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Table, bindparam, insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.chat import ChatRef, UserRef
from bot.clock import Clock
from bot.ports import AuditEntry
from storage.models import AuditRow


def audit_values(entry: AuditEntry, at: datetime) -> dict[str, Any]:
    return {
        "at": at,
        "chat_key": entry.chat.key,
        "user_key": entry.user.key,
        "command": entry.command,
        "outcome": entry.outcome,
        "detail": entry.detail,
    }


# Built once from bound parameters, so it is compiled once.
_TABLE: Table = AuditRow.__table__  # type: ignore[assignment]
_RECORD = insert(_TABLE).values(
    {c.name: bindparam(c.name, type_=c.type) for c in _TABLE.columns if c.name != "id"}
)


class SqlAuditLog:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    async def record(
        self, *, chat: ChatRef, user: UserRef, command: str, outcome: str, detail: str = ""
    ) -> None:
        entry = AuditEntry(chat, user, command, outcome, detail)
        # A Core INSERT on the session's connection, executed now: a bad row
        # fails here, next to its cause.
        connection = await self._session.connection()
        await connection.execute(_RECORD, audit_values(entry, self._clock.now()))
