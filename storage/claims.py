"""The dispatcher's side of the ledger: claim due rows under a lease, record
outcomes. Each call is its own short transaction, committed before returning,
so no database lock is held while a message is being sent.

PostgreSQL claims with ``FOR UPDATE SKIP LOCKED``: replicas claiming at once
take disjoint rows without waiting on each other. SQLite has one writer at a
time; there a claim is a compare-and-set ``UPDATE`` whose row count proves it.
A row's ``available_at`` is its fire (or retry) time while pending and its
lease expiry while sending, so one range scan of the partial index
``ix_scheduled_actions_claimable`` finds every claimable row, including those
whose holder died.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import CursorResult, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.reminders.delivery import ClaimedAction, Status
from bot.reminders.plan import ActionKind
from storage.models import ScheduledActionRow as A

CLAIMABLE = ("pending", "sending")
_RETURNING = (
    A.id,
    A.meeting_id,
    A.kind,
    A.occurrence_start,
    A.offset_seconds,
    A.recipient,
    A.fire_at,
    A.attempts,
)

# The claim on PostgreSQL: the inner SELECT walks the partial index in fire
# order and skips rows another replica is claiming at this very moment.
PG_CLAIM = text(
    """
    UPDATE scheduled_actions AS a
       SET status = 'sending', lease_owner = :owner, lease_until = :until,
           available_at = :until, attempts = a.attempts + 1
     WHERE a.id IN (
           SELECT id FROM scheduled_actions
            WHERE status IN ('pending', 'sending') AND available_at <= :now
            ORDER BY available_at
            LIMIT :limit
              FOR UPDATE SKIP LOCKED)
    RETURNING a.id, a.meeting_id, a.kind, a.occurrence_start, a.offset_seconds,
              a.recipient, a.fire_at, a.attempts
    """
)


def _action(row: Any) -> ClaimedAction:
    return ClaimedAction(
        id=row.id,
        meeting_id=row.meeting_id,
        kind=ActionKind(row.kind),
        occurrence_start=row.occurrence_start,
        offset=timedelta(seconds=row.offset_seconds),
        recipient=row.recipient,
        fire_at=row.fire_at,
        attempts=row.attempts,
    )


def _rowcount(result: Any) -> int:
    assert isinstance(result, CursorResult)
    return int(result.rowcount)


class SqlClaimStore:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = session_factory

    async def claim(
        self, owner: str, now: datetime, lease: timedelta, limit: int
    ) -> list[ClaimedAction]:
        async with self._sessions() as session:
            if session.get_bind().dialect.name == "postgresql":
                claimed = await self._claim_postgres(session, owner, now, lease, limit)
            else:
                claimed = await self._claim_compare_and_set(session, owner, now, lease, limit)
            await session.commit()
        return claimed

    async def _claim_postgres(
        self, session: AsyncSession, owner: str, now: datetime, lease: timedelta, limit: int
    ) -> list[ClaimedAction]:
        params = {"owner": owner, "until": now + lease, "now": now, "limit": limit}
        result = await session.execute(PG_CLAIM, params)
        claimed = [_action(row) for row in result]
        # PostgreSQL returns them unordered; send the earliest first.
        return sorted(claimed, key=lambda a: a.fire_at)

    async def _claim_compare_and_set(
        self, session: AsyncSession, owner: str, now: datetime, lease: timedelta, limit: int
    ) -> list[ClaimedAction]:
        candidates = await session.execute(
            select(A.id, A.status, A.available_at)
            .where(A.status.in_(CLAIMABLE), A.available_at <= now)
            .order_by(A.available_at)
            .limit(limit)
        )
        claimed: list[ClaimedAction] = []
        for candidate in candidates.all():
            # Set only if nobody changed the row since we read it: the row
            # count says whether this process won it.
            result = await session.execute(
                update(A)
                .where(
                    A.id == candidate.id,
                    A.status == candidate.status,
                    A.available_at == candidate.available_at,
                )
                .values(
                    status="sending",
                    lease_owner=owner,
                    lease_until=now + lease,
                    available_at=now + lease,
                    attempts=A.attempts + 1,
                )
                .returning(*_RETURNING)
            )
            row = result.one_or_none()
            if row is not None:
                claimed.append(_action(row))
        return claimed

    async def finish(
        self,
        action_id: int,
        owner: str,
        status: Status,
        now: datetime,
        error: str | None = None,
    ) -> bool:
        values: dict[str, Any] = {
            "status": status.value,
            "lease_owner": None,
            "lease_until": None,
            "last_error": error,
        }
        if status in (Status.SENT, Status.LATE):
            values["sent_at"] = now
        return await self._update_own(action_id, owner, values)

    async def finish_many(
        self, owner: str, done: Sequence[tuple[int, Status, str | None]], now: datetime
    ) -> int:
        groups: dict[tuple[Status, str | None], list[int]] = defaultdict(list)
        for action_id, status, error in done:
            groups[status, error].append(action_id)
        changed = 0
        async with self._sessions() as session:
            for (status, error), ids in groups.items():
                values: dict[str, Any] = {
                    "status": status.value,
                    "lease_owner": None,
                    "lease_until": None,
                    "last_error": error,
                }
                if status in (Status.SENT, Status.LATE):
                    values["sent_at"] = now
                result = await session.execute(
                    update(A)
                    .where(A.id.in_(ids), A.lease_owner == owner, A.status == "sending")
                    .values(**values)
                )
                changed += _rowcount(result)
            await session.commit()
        return changed

    async def retry(self, action_id: int, owner: str, at: datetime, error: str) -> bool:
        values = {
            "status": "pending",
            "available_at": at,
            "lease_owner": None,
            "lease_until": None,
            "last_error": error,
        }
        return await self._update_own(action_id, owner, values)

    async def _update_own(self, action_id: int, owner: str, values: dict[str, Any]) -> bool:
        """Only while this process still holds the lease."""
        async with self._sessions() as session:
            result = await session.execute(
                update(A)
                .where(A.id == action_id, A.lease_owner == owner, A.status == "sending")
                .values(**values)
            )
            await session.commit()
        return _rowcount(result) == 1

    async def next_available(self) -> datetime | None:
        async with self._sessions() as session:
            result = await session.execute(
                select(A.available_at)
                .where(A.status.in_(CLAIMABLE))
                .order_by(A.available_at)
                .limit(1)
            )
            value: datetime | None = result.scalar_one_or_none()
        return value

    async def release(self, owner: str, now: datetime) -> int:
        """Hand back rows this process claimed but did not send (on stop)."""
        async with self._sessions() as session:
            result = await session.execute(
                update(A)
                .where(A.lease_owner == owner, A.status == "sending")
                .values(
                    status="pending",
                    available_at=now,
                    lease_owner=None,
                    lease_until=None,
                    attempts=A.attempts - 1,
                )
            )
            await session.commit()
        return _rowcount(result)
