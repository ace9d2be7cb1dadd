"""Private messages waiting for their one reader (``PrivateParcels``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.chat import UserRef
from storage.models import PrivateParcelRow


class SqlPrivateParcels:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def put(self, key: str, recipient: UserRef, payload: str, expires_at: datetime) -> None:
        self._session.add(
            PrivateParcelRow(
                key=key, recipient=recipient.key, payload=payload, expires_at=expires_at
            )
        )

    async def take(self, key: str, recipient: UserRef, now: datetime) -> str | None:
        mine = (
            PrivateParcelRow.key == key,
            PrivateParcelRow.recipient == recipient.key,
            PrivateParcelRow.expires_at > now,
        )
        payload = await self._session.scalar(select(PrivateParcelRow.payload).where(*mine))
        if payload is None:
            return None
        # Of two replicas taking the same parcel at once, only the one whose
        # delete removed the row hands it over: once, never twice.
        result = await self._session.execute(delete(PrivateParcelRow).where(*mine))
        return payload if result.rowcount == 1 else None  # type: ignore[attr-defined]

    async def drop_expired(self, now: datetime) -> int:
        result = await self._session.execute(
            delete(PrivateParcelRow).where(PrivateParcelRow.expires_at <= now)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]
