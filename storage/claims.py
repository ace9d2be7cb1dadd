"""The dispatcher's side of the ledger: claim due rows under a lease, record
outcomes. Each call is its own short transaction, committed before returning,
so no database lock is held while a message is being sent.

PostgreSQL claims with ``FOR UPDATE SKIP LOCKED``: replicas claiming at once
take disjoint rows without waiting on each other. SQLite has one writer at a
time; there a claim is a compare-and-set ``UPDATE`` whose row count proves it.
A row's ``available_at`` is its fire (or retry) time while pending and its
lease expiry while sending, so one range scan of the partial index
``ix_scheduled_actions_claimable`` finds every claimable row, including those
whose holder died. A claim takes only what the process can deliver now:
given the platforms it can post to, the rows for other platforms' chats are
left to the processes that can (``_waiting_rows``).

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
from collections.abc import Callable, Collection, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import CursorResult, bindparam, delete, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.chat import Platform
from bot.ports.ledger import TO_CHAT, ActionKind, ClaimedAction, Finished, Status
from storage.models import DispatcherRow as D
from storage.models import MeetingRow as M
from storage.models import ScheduledActionRow as A
from storage.repositories.chunks import chunks
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


def _waiting(table: Any) -> Any:
    """``status IN ('pending', 'sending')`` with the values written into the
    statement: a planner uses the partial index only for the predicate it
    was built with, never for bound parameters."""
    return table.c.status.in_(bindparam("claimable", list(CLAIMABLE), literal_execute=True))


def _waiting_rows(
    table: Any,
    columns: Sequence[Any],
    platforms: Collection[Platform] | None,
    now: datetime | None = None,
) -> Any:
    """``columns`` of the rows of ``table`` a process that posts to
    ``platforms`` may take (due by ``now``), in fire order: every room
    action, and the rows for chats on those platforms (their meeting's chat:
    a rule correction's note goes there too). A row for any other platform
    is left where it is, for a process that can post there, and is not sent
    elsewhere. Joined to the meetings, so the planner walks the partial
    index in order and looks each row's meeting up by key (an ``EXISTS``
    under ``OR`` made PostgreSQL read every meeting)."""
    source, where = table, [_waiting(table)]
    if now is not None:
        where.append(table.c.available_at <= now)
    if platforms is not None:
        source = table.join(M, M.id == table.c.meeting_id)
        to_chat = sorted(kind.value for kind in TO_CHAT)
        where.append(or_(table.c.kind.not_in(to_chat), M.platform.in_(sorted(platforms))))
    return select(*columns).select_from(source).where(*where).order_by(table.c.available_at)


def pg_candidates(now: datetime, limit: int, platforms: Collection[Platform] | None) -> Any:
    """The rows a claim on PostgreSQL takes: it walks the partial index in
    fire order and skips rows another replica is claiming at this very moment."""
    candidate = A.__table__.alias("candidate")
    return (
        _waiting_rows(candidate, [candidate.c.id], platforms, now)
        .limit(limit)
        .with_for_update(skip_locked=True, of=candidate)
    )


def _pg_claim(
    owner: str, now: datetime, lease: timedelta, limit: int, platforms: Collection[Platform] | None
) -> Any:
    due = pg_candidates(now, limit, platforms)
    until = now + lease
    return (
        update(A)
        .where(A.id.in_(due.scalar_subquery()))
        .values(
            status="sending",
            lease_owner=owner,
            lease_until=until,
            available_at=until,
            attempts=A.attempts + 1,
        )
        .returning(*_RETURNING)
        .execution_options(synchronize_session=False)  # nothing of it is in the session
    )


def _own_in_order(ids: Collection[int], owner: str) -> Any:
    """The rows of ``ids`` ``owner`` is sending, locked in id order. Renewing
    and recording a batch touch the same rows from two connections; taken in
    different orders each could wait for the other (PostgreSQL then aborts
    one, and a batch not recorded is sent again). SQLite ignores the lock:
    it has one writer at a time."""
    return (
        select(A.id)
        .where(A.id.in_(sorted(ids)), A.lease_owner == owner, A.status == "sending")
        .order_by(A.id)
        .with_for_update()
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
        self,
        owner: str,
        now: datetime,
        lease: timedelta,
        limit: int,
        platforms: Collection[Platform] | None = None,
    ) -> list[ClaimedAction]:
        async with self._sessions() as session:
            if session.get_bind().dialect.name == "postgresql":
                statement = _pg_claim(owner, now, lease, limit, platforms)
                # PostgreSQL returns them unordered; send the earliest first.
                claimed = sorted(
                    (_action(row) for row in await session.execute(statement)),
                    key=lambda a: a.fire_at,
                )
            else:
                claimed = await self._claim_compare_and_set(
                    session, owner, now, lease, limit, platforms=platforms
                )
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
    ) -> frozenset[int]:
        renewed: set[int] = set()
        async with self._sessions() as session:
            await session.execute(update(D).where(D.owner == owner).values(alive_until=until))
            for chunk in chunks(sorted(held), RENEW_CHUNK):
                result = await session.execute(
                    update(A)
                    .where(A.id.in_(_own_in_order(chunk, owner).scalar_subquery()))
                    .values(lease_until=until, available_at=until)
                    .returning(A.id)
                    .execution_options(synchronize_session=False)
                )
                renewed.update(result.scalars())
            await session.commit()
        return frozenset(renewed)

    async def _claim_compare_and_set(
        self,
        session: AsyncSession,
        owner: str,
        now: datetime,
        lease: timedelta,
        limit: int,
        *,
        platforms: Collection[Platform] | None,
    ) -> list[ClaimedAction]:
        candidates = await session.execute(
            _waiting_rows(A.__table__, [A.id, A.status, A.available_at], platforms, now).limit(
                limit
            )
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
            if session.get_bind().dialect.name == "postgresql":
                # The batch's rows locked first, in the order renew takes them;
                # the updates by outcome below would take them in another.
                owned = [f.action_id for f in done]
                await session.execute(_own_in_order(owned, owner))
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

    async def give_back(self, action_id: int, owner: str, now: datetime) -> bool:
        values = {
            "status": "pending",
            "available_at": now,
            "lease_owner": None,
            "lease_until": None,
            "attempts": A.attempts - 1,
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

    async def next_available(
        self, platforms: Collection[Platform] | None = None
    ) -> datetime | None:
        async with self._sessions() as session:
            result = await session.execute(
                _waiting_rows(A.__table__, [A.available_at], platforms).limit(1)
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
