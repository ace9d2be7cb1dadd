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

A holder renews its leases while it works (``renew``: one statement per
thousand rows), so leases can be short and a dead holder's rows are taken
over within seconds. Each dispatcher's heartbeat (``dispatchers``) records
from when until when it was alive; a claim marks the rows some dispatcher was
alive at the fire time of as ``attended``.

A weekly row's outcome and its meeting's next rows are written in one
transaction (``finish_many``). ``fault``, given by tests only, is called at
named points inside it, so a test can kill the process exactly there.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import CursorResult, delete, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.ports.ledger import ActionKind, ClaimedAction, Finished, Status
from storage.models import DispatcherRow as D
from storage.models import ScheduledActionRow as A
from storage.repositories.ledger import action_values, insert_new

Fault = Callable[[str], None]

# Rows renewed per statement: bounded bind parameters on either database.
RENEW_CHUNK = 1000
# Heartbeats kept this long after a dispatcher stopped: a row overdue by more
# than that is judged as downtime whoever was alive.
HEARTBEAT_RETENTION = timedelta(days=35)

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


def _no_fault(_point: str) -> None:
    return None


class SqlClaimStore:
    def __init__(
        self, session_factory: async_sessionmaker[AsyncSession], *, fault: Fault | None = None
    ) -> None:
        self._sessions = session_factory
        self._fault = fault or _no_fault

    async def register(self, owner: str, now: datetime, alive_until: datetime) -> None:
        async with self._sessions() as session:
            await session.execute(delete(D).where(D.alive_until < now - HEARTBEAT_RETENTION))
            await session.execute(
                insert(D).values(owner=owner, started_at=now, alive_until=alive_until)
            )
            await session.commit()

    async def claim(
        self, owner: str, now: datetime, lease: timedelta, limit: int
    ) -> list[ClaimedAction]:
        async with self._sessions() as session:
            if session.get_bind().dialect.name == "postgresql":
                claimed = await self._claim_postgres(session, owner, now, lease, limit)
            else:
                claimed = await self._claim_compare_and_set(session, owner, now, lease, limit)
            claimed = await self._attendance(session, claimed)
            await session.commit()
        return claimed

    async def _attendance(
        self, session: AsyncSession, claimed: list[ClaimedAction]
    ) -> list[ClaimedAction]:
        """Mark the rows some dispatcher was alive at the fire time of."""
        if not claimed:
            return claimed
        first = min(a.fire_at for a in claimed)
        last = max(a.fire_at for a in claimed)
        alive = (
            await session.execute(
                select(D.started_at, D.alive_until).where(
                    D.alive_until >= first, D.started_at <= last
                )
            )
        ).all()
        return [replace(a, attended=any(s <= a.fire_at <= u for s, u in alive)) for a in claimed]

    async def renew(
        self,
        owner: str,
        held: Sequence[int],
        now: datetime,  # noqa: ARG002 (the port's; the lease ends at ``until``)
        until: datetime,
    ) -> int:
        renewed = 0
        async with self._sessions() as session:
            await session.execute(update(D).where(D.owner == owner).values(alive_until=until))
            ids = sorted(held)
            for first in range(0, len(ids), RENEW_CHUNK):
                result = await session.execute(
                    update(A)
                    .where(
                        A.id.in_(ids[first : first + RENEW_CHUNK]),
                        A.lease_owner == owner,
                        A.status == "sending",
                    )
                    .values(lease_until=until, available_at=until)
                )
                renewed += _rowcount(result)
            await session.commit()
        return renewed

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

    async def finish_many(self, owner: str, done: Sequence[Finished], now: datetime) -> int:
        groups: dict[tuple[Status, str | None], list[int]] = defaultdict(list)
        for finished in done:
            groups[finished.status, finished.error].append(finished.action_id)
        following = [
            action_values(finished.meeting_id, action, now)
            for finished in done
            for action in finished.following
        ]
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
            self._fault("finish:marked")
            # In the same transaction: a row is never done without its
            # meeting's next rows (written even when the lease was lost: the
            # unique key keeps them once whoever writes them).
            await insert_new(session, following)
            await session.commit()
        self._fault("finish:committed")
        return changed

    async def retry(self, action_id: int, owner: str, at: datetime, error: str | None) -> bool:
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
        """Hand back rows this process claimed but did not send (on stop); its
        heartbeat ends now."""
        async with self._sessions() as session:
            await session.execute(update(D).where(D.owner == owner).values(alive_until=now))
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
