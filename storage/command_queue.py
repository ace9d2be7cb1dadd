"""``bot.ports.CommandQueue`` on the bridge's database (``accepted_commands``).

The acknowledging side's write is one statement: a conditional insert (no row
while ``backlog`` rows are unfinished; nothing on a key accepted before), on
PostgreSQL in autocommit, so a request costs one round trip. The bound is
checked by that statement's own count, so replicas accepting at the same
moment may each pass it: it holds to within the number of replicas, which is
what a bound against a flood needs.

No ``NOTIFY`` goes with it: PostgreSQL serialises the commits of every
transaction that notifies (a database-wide lock held through the commit's
flush), which capped acceptance near 200 a second on the benchmark's machine.
Workers are woken instead by ``accepted`` (``serve`` tells its own work
process through a pipe) and otherwise look every ``poll_seconds``.

On PostgreSQL, acceptances that arrive while a statement is in flight are
written together, as one statement, by the next one (``storage.batching``):
under a burst a request waits for one statement, not for a line of them, and
the database commits once for many rows. Each row is still checked against
the bounds as if written alone, in arrival order; one statement at a time per
process, so each sees the rows of the one before (two at once would each
count without the other's rows and could both fill the bounds).

Claims follow the reminder ledger's (``storage.claims``): PostgreSQL takes
rows with ``FOR UPDATE SKIP LOCKED``, so workers claiming at once never wait
on each other; SQLite (one writer) with a compare-and-set ``UPDATE`` per row.
Only the first unfinished row of each ``order_key`` is claimable, so one
person's commands in one chat are worked on in the order they were sent.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    JSON,
    CursorResult,
    Integer,
    Table,
    and_,
    any_,
    bindparam,
    delete,
    exists,
    func,
    literal,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects import sqlite
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import aliased

from bot.ports.queue import PER_PERSON, Acceptance, QueuedCommand, Waiting
from storage.batching import Batcher
from storage.columns import UtcDateTime
from storage.models import AcceptedCommandRow as R

UNFINISHED = ("accepted", "working")
# Acceptances in flight at once: a few of the pool's connections (15 on
# PostgreSQL, storage.db), the rest left to the work of the process.
ACCEPTING = 4
_TABLE: Table = R.__table__  # type: ignore[assignment]


def _rowcount(result: Any) -> int:
    assert isinstance(result, CursorResult)
    return int(result.rowcount)


def _accept_statement() -> Any:
    """SQLite's acceptance, built once (PostgreSQL writes ``_ACCEPT_MANY``):
    a row unless ``:backlog`` rows are unfinished, ``:per_person`` of them
    share ``:order``, or ``:key`` is known."""
    c = _TABLE.c
    unfinished = (
        select(func.count())
        .select_from(_TABLE)
        .where(c.source == bindparam("source"), c.status.in_(UNFINISHED))
        .scalar_subquery()
    )
    theirs = (
        select(func.count())
        .select_from(_TABLE)
        .where(
            c.source == bindparam("source"),
            c.order_key == bindparam("order"),
            c.status.in_(UNFINISHED),
        )
        .scalar_subquery()
    )
    now = bindparam("now", type_=UtcDateTime())
    row = select(
        bindparam("source", type_=c.source.type),
        bindparam("key", type_=c.delivery_key.type),
        bindparam("order", type_=c.order_key.type),
        bindparam("payload", type_=JSON()),
        literal("accepted", type_=c.status.type),
        now,
        now,
        literal(0, type_=c.attempts.type),
    ).where(
        unfinished < bindparam("backlog", type_=Integer()),
        theirs < bindparam("per_person", type_=Integer()),
    )
    columns = [
        "source",
        "delivery_key",
        "order_key",
        "payload",
        "status",
        "accepted_at",
        "available_at",
        "attempts",
    ]
    return (
        sqlite.insert(_TABLE)
        .from_select(columns, row)
        .on_conflict_do_nothing(index_elements=["source", "delivery_key"])
        .returning(c.id)
    )


# Rows written by one statement at most: a burst's requests beyond it wait
# for the next statement (a row costs the statement a few microseconds).
BATCH = 128
# Acceptances under way at most in one process. A database that stops
# answering (a lock, a partition) holds them for as long as it is silent; past
# this many, new ones are refused at once ("busy") instead of piling up in
# memory. A healthy database has a few dozen under way even at 400/s.
UNDER_WAY_MOST = 1024

# PostgreSQL: many acceptances in one statement, each row checked as if it
# were written alone after the ones before it: ``m`` is its place among the
# batch's new rows of its person, ``b`` its place among those within their
# person's share. The counts are the single-row statement's; ids follow the
# batch's order, which the claims' per-person order relies on.
_ACCEPT_MANY = text(
    """
    WITH incoming AS (
        SELECT t.*, row_number() OVER (PARTITION BY t.order_key ORDER BY t.n) AS m
        FROM unnest(
            CAST(:keys AS varchar[]), CAST(:orders AS varchar[]),
            CAST(:payloads AS text[]), CAST(:ats AS timestamptz[]),
            CAST(:backlogs AS integer[]), CAST(:per_persons AS integer[])
        ) WITH ORDINALITY AS t(key, order_key, payload, at, backlog, per_person, n)
        WHERE NOT EXISTS (
            SELECT 1 FROM accepted_commands a
            WHERE a.source = :source AND a.delivery_key = t.key
        )
    ), theirs AS (
        SELECT order_key, count(*) AS k FROM accepted_commands
        WHERE source = :source AND status IN ('accepted', 'working')
          AND order_key = ANY(CAST(:orders AS varchar[]))
        GROUP BY order_key
    ), fits AS (
        SELECT i.*, row_number() OVER (ORDER BY i.n) AS b
        FROM incoming i LEFT JOIN theirs t ON t.order_key = i.order_key
        WHERE coalesce(t.k, 0) + i.m <= i.per_person
    ), unfinished AS (
        SELECT count(*) AS k FROM accepted_commands
        WHERE source = :source AND status IN ('accepted', 'working')
    )
    INSERT INTO accepted_commands
        (source, delivery_key, order_key, payload, status, accepted_at, available_at, attempts)
    SELECT :source, f.key, f.order_key, CAST(f.payload AS json), 'accepted', f.at, f.at, 0
    FROM fits f CROSS JOIN unfinished u
    WHERE u.k + f.b <= f.backlog
    ORDER BY f.n
    ON CONFLICT (source, delivery_key) DO NOTHING
    RETURNING delivery_key
    """
)
_KNOWN = text(
    "SELECT delivery_key FROM accepted_commands"
    " WHERE source = :source AND delivery_key = ANY(CAST(:keys AS varchar[]))"
)


def _status_is(status: Any, *names: str) -> Any:
    """The statuses written into the statement, not bound: a prepared
    statement's generic plan (asyncpg's, after a few runs) then still knows
    how few rows are unfinished. With them bound, PostgreSQL's plan walked
    every finished row the table keeps: 28 ms a claim at 50,000, against
    0.07 ms planned with the values."""
    # As storage.claims does: SQLAlchemy renders the values into the text
    # (an anonymous parameter: each use its own).
    return status.in_(bindparam(None, list(names), literal_execute=True))


def _takeable(row: Any) -> Any:
    """Rows of queue ``:queue`` a worker ``:owner`` may take at ``:now`` if
    they head their person's line: accepted, or under a lapsed lease (its
    holder died, or, alive, still has the command in hand) that is not its own."""
    now = bindparam("now", type_=UtcDateTime())
    return and_(
        row.source == bindparam("queue"),
        or_(
            _status_is(row.status, "accepted"),
            and_(
                _status_is(row.status, "working"),
                row.available_at <= now,
                row.lease_owner != bindparam("owner"),
            ),
        ),
    )


def _first_in_line() -> Any:
    """SQLite's head-of-line test: no earlier unfinished row of the person."""
    c = _TABLE.c
    earlier = aliased(R)
    return ~exists().where(
        earlier.order_key == c.order_key,
        earlier.id < c.id,
        _status_is(earlier.status, *UNFINISHED),
    )


# A claim's array holds the oldest takeable heads: the rows asked for, plus
# room for those other claims are taking at that moment (locked, so
# skipped): up to 64, eight work processes claiming their 8 at once. Past
# that a claim may come back empty while people wait, until the next wake-up.
HEADS_IN_FLIGHT = 64


def _takeable_heads(limit: Any) -> Any:
    """The ids of the oldest rows that head their person's line and that a
    worker may take, found in one pass over the unfinished rows and handed
    over as one short array. PostgreSQL's claim then takes from these only.
    The same test written per row (no earlier unfinished row), or as a join,
    was planned, on statistics taken while the queue was idle, as a scan of
    every unfinished row for each one: in a burst each claim read the backlog
    once per waiting row (225,000 rows, 30 ms and more, for 900 waiting). An
    array leaves the planner no such join; a short one keeps the look-up of
    its ids cheap however many people wait (each row is compared with every
    id: with one id per waiting person, 10 ms a claim at 2,000 waiting)."""
    row = aliased(R)
    heads = (
        select(row.id, row.source, row.status, row.available_at, row.lease_owner)
        .where(_status_is(row.status, *UNFINISHED))
        .order_by(row.order_key, row.id)
        .ext(distinct_on(row.order_key))
        .subquery("heads")
    )
    oldest = (
        select(heads.c.id)
        .where(_takeable(heads.c))
        .order_by(heads.c.id)
        .limit(limit + HEADS_IN_FLIGHT)
    )
    return func.array(oldest.scalar_subquery())


def _claims() -> tuple[Any, Any, Any]:
    """The claim's statements, built once (a worker claims after every
    wake-up): PostgreSQL's one, and SQLite's select and per-row update."""
    c = _TABLE.c
    claimable = and_(_takeable(c), _first_in_line())
    limit = bindparam("limit", type_=Integer())
    taken = select(c.id).where(claimable).order_by(c.id).limit(limit)
    taken_heads = (
        select(c.id)
        # Tested again on the row itself: the array is as the statement
        # began, so a row another claim has taken (or taken and finished)
        # since is read anew once locked, and no longer qualifies; without
        # this a finished command would be taken, and done, again.
        .where(c.id == any_(_takeable_heads(limit)), _takeable(c))
        .order_by(c.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    taken_up = {
        "status": "working",
        "lease_owner": bindparam("owner"),
        "available_at": bindparam("until", type_=UtcDateTime()),
        "attempts": c.attempts + 1,
    }
    returning = (c.id, c.payload, c.accepted_at, c.attempts)
    postgres = (
        update(_TABLE)
        .where(c.id.in_(taken_heads.scalar_subquery()))
        .values(**taken_up)
        .returning(*returning)
    )
    one = (
        update(_TABLE)
        .where(c.id == bindparam("found"), claimable)
        .values(**taken_up)
        .returning(*returning)
    )
    return postgres, taken, one


_CLAIM_POSTGRES, _CLAIMABLE, _CLAIM_ONE = _claims()


@dataclass(frozen=True, slots=True)
class _Incoming:
    key: str
    order: str
    payload: Mapping[str, Any]
    now: datetime
    backlog: int
    per_person: int


class SqlCommandQueue:
    """The accepted commands of one messenger (``source``)."""

    def __init__(
        self,
        engine: AsyncEngine,
        source: str,
        *,
        accepted: Callable[[], None] | None = None,
        under_way_most: int = UNDER_WAY_MOST,
    ) -> None:
        self._source = source
        self._accepted = accepted  # tells a worker nearby that a row is waiting
        self._postgres = engine.dialect.name == "postgresql"
        # Every change here is one statement: on PostgreSQL no transaction
        # around it (a BEGIN and a COMMIT fewer per call). SQLite's claim takes
        # a row at a time, so there each call stays one transaction.
        self._engine = (
            engine.execution_options(isolation_level="AUTOCOMMIT") if self._postgres else engine
        )
        # A worker no one tells (one run apart from serve) looks this often.
        self.poll_seconds = 0.2
        self._insert = _accept_statement()  # SQLite's path
        # Acceptances in flight at once: within the pool's kept connections, so
        # a burst waits here for one (a statement's time) instead of opening
        # connections past the pool that are closed again on return (a new
        # PostgreSQL backend each: more CPU than the acknowledgement itself).
        self._accepting = asyncio.Semaphore(ACCEPTING)
        self._batches: Batcher[_Incoming, Acceptance] = Batcher(
            self._accept_many, at_once=1, most=BATCH
        )
        self._under_way_most = under_way_most
        self._under_way = 0  # acceptances being written or waiting to be

    async def accept(
        self,
        key: str,
        order: str,
        payload: Mapping[str, Any],
        *,
        now: datetime,
        backlog: int,
        per_person: int = PER_PERSON,
    ) -> Acceptance:
        if self._under_way >= self._under_way_most:
            return Acceptance.BACKED_UP
        self._under_way += 1
        try:
            return await self._accept(_Incoming(key, order, payload, now, backlog, per_person))
        finally:
            self._under_way -= 1

    async def _accept(self, incoming: _Incoming) -> Acceptance:
        if self._postgres:
            accepted = await self._batches.submit(incoming)
            if accepted is Acceptance.ACCEPTED and self._accepted is not None:
                self._accepted()
            return accepted
        key = incoming.key
        values = {
            "source": self._source,
            "key": key,
            "order": incoming.order,
            "payload": dict(incoming.payload),
            "now": incoming.now,
            "backlog": incoming.backlog,
            "per_person": incoming.per_person,
        }
        async with self._accepting, self._engine.connect() as conn:
            taken = (await conn.execute(self._insert, values)).first() is not None
            if not taken:
                c = _TABLE.c
                known = await conn.scalar(
                    select(exists().where(c.source == self._source, c.delivery_key == key))
                )
            await conn.commit()
        if taken:
            if self._accepted is not None:
                self._accepted()
            return Acceptance.ACCEPTED
        return Acceptance.REPEATED if known else Acceptance.FULL

    async def _accept_many(self, batch: Sequence[_Incoming]) -> list[Acceptance]:
        """One statement for the batch (PostgreSQL). A key twice in one batch
        (a retried delivery arriving beside the first) is written once."""
        first: dict[str, _Incoming] = {}
        for incoming in batch:
            first.setdefault(incoming.key, incoming)
        rows = list(first.values())
        values = {
            "source": self._source,
            "keys": [r.key for r in rows],
            "orders": [r.order for r in rows],
            "payloads": [json.dumps(dict(r.payload)) for r in rows],
            "ats": [r.now for r in rows],
            "backlogs": [r.backlog for r in rows],
            "per_persons": [r.per_person for r in rows],
        }
        async with self._engine.connect() as conn:
            taken = set((await conn.scalars(_ACCEPT_MANY, values)).all())
            refused = [r.key for r in rows if r.key not in taken]
            known: set[str] = set()
            if refused:
                keys = {"source": self._source, "keys": refused}
                known = set((await conn.scalars(_KNOWN, keys)).all())
        results = []
        seen: set[str] = set()
        for incoming in batch:
            key = incoming.key
            if key in taken:
                # A second delivery of a key written by this very batch repeats it.
                results.append(Acceptance.REPEATED if key in seen else Acceptance.ACCEPTED)
            elif key in known:
                results.append(Acceptance.REPEATED)
            else:
                results.append(Acceptance.FULL)
            seen.add(key)
        return results

    async def claim(
        self, owner: str, now: datetime, lease: timedelta, limit: int
    ) -> list[QueuedCommand]:
        values = {
            "queue": self._source,
            "owner": owner,
            "now": now,
            "until": now + lease,
            "limit": limit,
        }
        async with self._engine.begin() as conn:
            if self._postgres:
                rows = list((await conn.execute(_CLAIM_POSTGRES, values)).all())
            else:
                rows = []
                for (found,) in (await conn.execute(_CLAIMABLE, values)).all():
                    one = {**values, "found": found}
                    rows.extend((await conn.execute(_CLAIM_ONE, one)).all())
        return sorted(
            (
                QueuedCommand(
                    id=row.id,
                    payload=row.payload,
                    accepted_at=row.accepted_at,
                    attempts=row.attempts,
                )
                for row in rows
            ),
            key=lambda command: command.id,
        )

    async def finish(self, command_id: int, owner: str, now: datetime, *, done: bool) -> bool:
        c = _TABLE.c
        async with self._engine.begin() as conn:
            result = await conn.execute(
                update(_TABLE)
                .where(c.id == command_id, c.lease_owner == owner, c.status == "working")
                .values(
                    status="done" if done else "given_up",
                    payload={},  # the person's text is not kept past its work
                    finished_at=now,
                    lease_owner=None,
                )
            )
        return _rowcount(result) == 1

    async def renew(self, owner: str, until: datetime) -> frozenset[int]:
        c = _TABLE.c
        async with self._engine.begin() as conn:
            result = await conn.execute(
                update(_TABLE)
                .where(c.lease_owner == owner, c.status == "working")
                .values(available_at=until)
                .returning(c.id)
            )
            return frozenset(result.scalars())

    async def release(self, owner: str) -> None:
        c = _TABLE.c
        async with self._engine.begin() as conn:
            await conn.execute(
                update(_TABLE)
                .where(c.lease_owner == owner, c.status == "working")
                .values(status="accepted", lease_owner=None)
            )

    async def give_back(self, command_id: int, owner: str) -> bool:
        c = _TABLE.c
        async with self._engine.begin() as conn:
            result = await conn.execute(
                update(_TABLE)
                .where(c.id == command_id, c.lease_owner == owner, c.status == "working")
                # Not begun, so not an attempt: MAX_ATTEMPTS counts real ones.
                .values(status="accepted", lease_owner=None, attempts=c.attempts - 1)
            )
        return _rowcount(result) == 1

    async def waiting(self, now: datetime) -> Waiting:
        # Only rows a worker could take now: the head of each person's line,
        # accepted or under a lapsed lease, waiting since it became takeable
        # (acceptance, or the lease's end); one behind its person's running
        # command, or released by a worker that stopped, is not overdue.
        c = _TABLE.c
        earlier = aliased(R)
        takeable = and_(
            c.source == self._source,
            or_(
                _status_is(c.status, "accepted"),
                and_(_status_is(c.status, "working"), c.available_at <= now),
            ),
            ~exists().where(
                earlier.order_key == c.order_key,
                earlier.id < c.id,
                _status_is(earlier.status, *UNFINISHED),
            ),
        )
        async with self._engine.connect() as conn:
            row = (
                await conn.execute(select(func.count(), func.min(c.available_at)).where(takeable))
            ).one()
        oldest = None if row[1] is None else min(row[1], now)
        return Waiting(int(row[0]), oldest)

    async def purge(self, before: datetime) -> int:
        c = _TABLE.c
        async with self._engine.begin() as conn:
            result = await conn.execute(
                delete(_TABLE).where(
                    c.source == self._source,
                    c.status.in_(("done", "given_up")),
                    c.finished_at < before,
                )
            )
        return _rowcount(result)
