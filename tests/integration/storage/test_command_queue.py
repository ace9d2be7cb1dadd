"""The accepted-commands queue on SQLite and PostgreSQL: a key is accepted
once, a full backlog refuses, one person's commands in one chat are claimed
one at a time in order, a dead holder's command is claimed again once its
lease has ended, a finished row keeps its key but not its text, two
workers claiming at once never take the same row, and a database that stops
answering holds a bounded number of acceptances: the rest are refused at
once."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, select
from sqlalchemy import text as sql

from bot.ports import Acceptance
from bot.ports.queue import PER_PERSON
from storage import build_engine, command_queue
from storage.command_queue import SqlCommandQueue
from storage.models import AcceptedCommandRow
from tests.support.command_queue import accept_in_turn, quiet_history
from tests.support.plans import rows_handled

pytestmark = pytest.mark.timeout(60)

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
LEASE = timedelta(seconds=30)


async def test_a_key_is_accepted_once_and_a_full_backlog_refuses(migrated_url: str) -> None:
    engine = build_engine(migrated_url)
    woken: list[int] = []
    queue = SqlCommandQueue(engine, "slack", accepted=lambda: woken.append(1))
    try:
        accept = queue.accept
        assert await accept("k1", "a", {"text": "one"}, now=NOW, backlog=2) is Acceptance.ACCEPTED
        assert await accept("k1", "a", {"text": "one"}, now=NOW, backlog=2) is Acceptance.REPEATED
        assert await accept("k2", "b", {"text": "two"}, now=NOW, backlog=2) is Acceptance.ACCEPTED
        assert await accept("k3", "c", {"text": "three"}, now=NOW, backlog=2) is Acceptance.FULL
        assert len(woken) == 2  # one wake-up per row written
        # The same key from another messenger is its own delivery.
        other = SqlCommandQueue(engine, "telegram")
        # ...and its backlog is its own: Slack's two unfinished rows fill none of it.
        assert await other.accept("k1", "a", {}, now=NOW, backlog=1) is Acceptance.ACCEPTED
    finally:
        await engine.dispose()


async def test_one_persons_commands_are_claimed_in_order_one_at_a_time(
    migrated_url: str,
) -> None:
    engine = build_engine(migrated_url)
    queue = SqlCommandQueue(engine, "slack")
    try:
        for n, order in enumerate(["alice", "alice", "bob", "alice"]):
            await queue.accept(f"k{n}", order, {"n": n}, now=NOW, backlog=100)
        first = await queue.claim("w1", NOW, LEASE, 10)
        assert [c.payload["n"] for c in first] == [0, 2]  # the head of each person's line
        assert await queue.claim("w2", NOW, LEASE, 10) == []  # the rest wait behind them
        await queue.finish(first[0].id, "w1", NOW, done=True)
        [second] = await queue.claim("w2", NOW, LEASE, 10)
        assert second.payload["n"] == 1
    finally:
        await engine.dispose()


async def test_a_dead_holders_command_is_claimed_again_after_its_lease(
    migrated_url: str,
) -> None:
    engine = build_engine(migrated_url)
    queue = SqlCommandQueue(engine, "slack")
    try:
        await queue.accept("k", "alice", {"text": "now Standup"}, now=NOW, backlog=100)
        [held] = await queue.claim("dead", NOW, LEASE, 10)
        assert held.attempts == 1
        assert await queue.claim("alive", NOW + LEASE - timedelta(seconds=1), LEASE, 10) == []
        [again] = await queue.claim("alive", NOW + LEASE, LEASE, 10)
        assert (again.id, again.attempts) == (held.id, 2)
        # The dead holder's late finish changes nothing (and says so): the
        # row is another's now.
        assert not await queue.finish(held.id, "dead", NOW + LEASE, done=True)
        assert await queue.finish(again.id, "alive", NOW + LEASE, done=True)
        async with engine.connect() as conn:
            row = (await conn.execute(select(AcceptedCommandRow))).one()
        assert (row.status, row.payload, row.lease_owner) == ("done", {}, None)
        # Its key stays, so a late retry is still a repeat, until purged.
        assert await queue.accept("k", "alice", {}, now=NOW, backlog=100) is Acceptance.REPEATED
        assert await queue.purge(NOW + LEASE + timedelta(seconds=1)) == 1
    finally:
        await engine.dispose()


async def test_a_released_command_is_claimed_at_once(migrated_url: str) -> None:
    engine = build_engine(migrated_url)
    queue = SqlCommandQueue(engine, "slack")
    try:
        await queue.accept("k", "alice", {}, now=NOW, backlog=100)
        [held] = await queue.claim("stopping", NOW, LEASE, 10)
        await queue.release("stopping")
        [taken] = await queue.claim("next", NOW, LEASE, 10)
        assert taken.id == held.id
    finally:
        await engine.dispose()


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_workers_claiming_at_once_take_each_row_once(migrated_url: str) -> None:
    engines = [build_engine(migrated_url) for _ in range(3)]
    queues = [SqlCommandQueue(engine, "slack") for engine in engines]
    try:
        for n in range(60):
            await queues[0].accept(f"k{n}", f"person{n}", {"n": n}, now=NOW, backlog=100)
        claimed = await asyncio.gather(
            *(q.claim(f"w{i}", NOW, LEASE, 30) for i, q in enumerate(queues))
        )
        ids = [c.id for batch in claimed for c in batch]
        ids += [c.id for c in await queues[0].claim("last", NOW, LEASE, 60)]  # any skipped
        assert len(ids) == len(set(ids)) == 60
    finally:
        for engine in engines:
            await engine.dispose()


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_workers_claiming_and_finishing_at_once_never_take_a_row_again(
    migrated_url: str,
) -> None:
    """A claim sees the queue as it was when its statement began; a row
    another worker took, or took and finished, since then must not be taken
    again (the claim tests each row once more after locking it)."""
    engines = [build_engine(migrated_url) for _ in range(3)]
    queues = [SqlCommandQueue(engine, "slack") for engine in engines]
    rows, people = 3000, 300
    taken: list[int] = []
    try:
        await accept_in_turn(queues[0], "k", rows, people=people, now=NOW)

        async def work(queue: SqlCommandQueue, owner: str) -> None:
            while claimed := await queue.claim(owner, NOW, LEASE, 4):
                for command in claimed:
                    taken.append(command.id)
                    await queue.finish(command.id, owner, NOW, done=True)

        await asyncio.gather(*(work(q, f"w{i}") for i, q in enumerate(queues)))
        assert len(taken) == len(set(taken)) == rows
    finally:
        for engine in engines:
            await engine.dispose()


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_a_claim_takes_a_free_head_while_other_claims_hold_the_oldest(
    migrated_url: str,
) -> None:
    """Other workers' claims in flight lock the oldest heads for a moment; a
    claim skips them and takes a younger head, as the per-row claim did,
    instead of coming back empty while people wait."""
    engine = build_engine(migrated_url)
    queue = SqlCommandQueue(engine, "slack")
    try:
        await accept_in_turn(queue, "k", 50, people=50, now=NOW)
        async with engine.connect() as holder:
            # 40 rows locked: five work processes claiming 8 each, at once.
            await holder.execute(
                sql("SELECT id FROM accepted_commands ORDER BY id LIMIT 40 FOR UPDATE")
            )
            [taken] = await queue.claim("w", NOW, LEASE, 1)
            await holder.rollback()
        assert taken.payload["n"] == 40  # the oldest head no one holds
    finally:
        await engine.dispose()


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_postgres_claim_takes_the_rows_the_per_row_test_would(migrated_url: str) -> None:
    """PostgreSQL's claim (heads of the lines, from an array) takes exactly
    the rows the per-row test takes (SQLite's claim: no earlier unfinished
    row of the person), across random queues: both sources sharing people,
    every status, leases lapsed or not, held by the claimer or another."""
    engine = build_engine(migrated_url)
    chance = random.Random(21)
    statuses = ("accepted", "working", "done", "given_up")
    try:
        for state in range(150):
            rows: list[dict[str, object]] = [
                {
                    "source": chance.choice(("slack", "slack", "telegram")),
                    "delivery_key": f"s{state}k{n}",
                    "order_key": f"p{chance.randrange(6)}",
                    "payload": {},
                    "status": chance.choice(statuses),
                    "accepted_at": NOW,
                    "available_at": NOW + timedelta(seconds=chance.choice((-5, 0, 5))),
                    "lease_owner": chance.choice((None, "w", "other")),
                    "attempts": 0,
                }
                for n in range(chance.randrange(1, 25))
            ]
            limit = chance.choice((1, 2, 3, 100))
            values = {
                "queue": "slack",
                "owner": "w",
                "now": NOW,
                "until": NOW + LEASE,
                "limit": limit,
            }
            async with engine.connect() as conn:
                await conn.execute(sql("DELETE FROM accepted_commands"))
                await conn.execute(insert(AcceptedCommandRow), rows)
                per_row = (await conn.execute(command_queue._CLAIMABLE, values)).scalars().all()
                taken = (await conn.execute(command_queue._CLAIM_POSTGRES, values)).all()
                await conn.rollback()
            assert sorted(row.id for row in taken) == list(per_row), (state, rows, limit)
    finally:
        await engine.dispose()


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_a_claim_during_a_burst_reads_the_backlog_a_bounded_number_of_times(
    migrated_url: str,
) -> None:
    """A burst arrives after the table was last analysed while idle, as
    autovacuum leaves it: the claim's plan then expects no waiting row. It
    must still not read the backlog once per waiting row (it did: 225,000
    rows handled for 900 waiting, 30 ms and more a claim, at the moment the
    work falls behind)."""
    engine = build_engine(migrated_url)
    queue = SqlCommandQueue(engine, "slack")
    people, history = 30, 300
    try:
        await quiet_history(queue, engine, history, people=people, now=NOW)
        waiting = people * PER_PERSON
        await accept_in_turn(queue, "b", waiting, people=people, now=NOW)
        held = await queue.claim("other", NOW, LEASE, 8)
        values = {"queue": "slack", "owner": "w", "now": NOW, "until": NOW + LEASE, "limit": 8}
        async with engine.begin() as conn:
            # The claim itself, run once under EXPLAIN ANALYZE.
            handled = await rows_handled(conn, command_queue._CLAIM_POSTGRES, values)
        assert handled <= 5 * (history + waiting)
        async with engine.connect() as conn:
            table = AcceptedCommandRow
            columns = (table.id, table.order_key, table.status, table.lease_owner)
            rows = (await conn.execute(select(*columns))).all()
        unfinished = [r for r in rows if r.status in ("accepted", "working")]
        heads = {
            person: min(r.id for r in unfinished if r.order_key == person)
            for person in {r.order_key for r in unfinished}
        }
        taken = [r for r in rows if r.lease_owner == "w"]
        # Eight other people's first commands, the oldest first.
        assert {r.id for r in taken} == set(sorted(set(heads.values()) - {c.id for c in held})[:8])
    finally:
        await engine.dispose()


async def test_a_command_still_in_hand_keeps_its_lease_and_is_not_done_twice(
    migrated_url: str,
) -> None:
    # A command slower than the lease: its worker renews while it runs, so no
    # other worker takes it up, and its own worker never claims it again.
    engine = build_engine(migrated_url)
    queue = SqlCommandQueue(engine, "slack")
    try:
        await queue.accept("k", "alice", {"text": "now Slow"}, now=NOW, backlog=100)
        [held] = await queue.claim("w1", NOW, LEASE, 10)
        kept = await queue.renew("w1", NOW + LEASE - timedelta(seconds=1) + LEASE)
        assert kept == {held.id}
        later = NOW + LEASE + timedelta(seconds=5)
        assert await queue.claim("w2", later, LEASE, 10) == []
        # Unrenewed, the lease lapses: another worker's now, never its holder's.
        lapsed = NOW + 3 * LEASE
        assert await queue.claim("w1", lapsed, LEASE, 10) == []
        [again] = await queue.claim("w2", lapsed, LEASE, 10)
        assert (again.id, again.attempts) == (held.id, 2)
        # Its first holder's renewal no longer keeps it: taken over.
        assert await queue.renew("w1", lapsed + LEASE) == set()
        assert not await queue.give_back(held.id, "w1")  # nor can it hand it on
    finally:
        await engine.dispose()


async def test_a_command_given_back_is_claimable_at_once_by_anyone(migrated_url: str) -> None:
    # Its lease ran out before its work began (the worker stalled) and
    # nobody took it: handed back, its own worker may claim it again.
    engine = build_engine(migrated_url)
    queue = SqlCommandQueue(engine, "slack")
    try:
        await queue.accept("k", "alice", {"text": "now Standup"}, now=NOW, backlog=100)
        [held] = await queue.claim("w1", NOW, LEASE, 10)
        assert await queue.give_back(held.id, "w1")
        assert not await queue.give_back(held.id, "w1")  # once
        [again] = await queue.claim("w1", NOW, LEASE, 10)
        # Not begun, so not an attempt: stalls never use up MAX_ATTEMPTS.
        assert (again.id, again.attempts) == (held.id, 1)
        for _ in range(5):
            assert await queue.give_back(again.id, "w1")
            [again] = await queue.claim("w1", NOW, LEASE, 10)
        assert again.attempts == 1
    finally:
        await engine.dispose()


async def test_one_persons_flood_fills_only_their_share_of_the_backlog(
    migrated_url: str,
) -> None:
    engine = build_engine(migrated_url)
    queue = SqlCommandQueue(engine, "slack")
    try:
        accept = queue.accept
        for n in range(3):
            taken = await accept(f"f{n}", "mallory", {}, now=NOW, backlog=10, per_person=3)
            assert taken is Acceptance.ACCEPTED
        assert await accept("f3", "mallory", {}, now=NOW, backlog=10, per_person=3) is (
            Acceptance.FULL
        )
        # Everyone else still gets in.
        assert await accept("a0", "alice", {}, now=NOW, backlog=10, per_person=3) is (
            Acceptance.ACCEPTED
        )
    finally:
        await engine.dispose()


async def test_a_burst_accepted_at_once_keeps_every_bound_and_the_order(
    migrated_url: str,
) -> None:
    # 60 acceptances in flight together (on PostgreSQL most of them share a
    # statement): each row is checked as if written alone, in arrival order.
    engine = build_engine(migrated_url)
    queue = SqlCommandQueue(engine, "slack")
    try:
        people = ["mallory"] * 20 + [f"person{n}" for n in range(40)]
        keys = [f"k{n}" for n in range(60)]
        keys[30] = keys[29]  # a retried delivery arriving beside the first
        results = await asyncio.gather(
            *(
                queue.accept(key, person, {"n": n}, now=NOW, backlog=25, per_person=3)
                for n, (key, person) in enumerate(zip(keys, people, strict=True))
            )
        )
        accepted = [n for n, r in enumerate(results) if r is Acceptance.ACCEPTED]
        assert len(accepted) == 25
        assert len([n for n in accepted if people[n] == "mallory"]) <= 3
        # The key sent twice is written at most once: the other copy repeats
        # it (or both found the backlog full).
        twice = {results[29], results[30]}
        assert twice in ({Acceptance.ACCEPTED, Acceptance.REPEATED}, {Acceptance.FULL})
        assert results.count(Acceptance.FULL) == 60 - 25 - (1 if len(twice) == 2 else 0)
        async with engine.connect() as conn:
            rows = (await conn.execute(select(AcceptedCommandRow).order_by("id"))).all()
        written = [row.payload["n"] for row in rows]
        assert sorted(written) == accepted
        if engine.dialect.name == "postgresql":
            # One statement took them in arrival order: mallory's first 3, then
            # the others until 25 rows were unfinished; ids follow arrival.
            assert accepted == [0, 1, 2, *range(20, 30), *range(31, 43)]
            assert results[30] is Acceptance.REPEATED
            assert written == accepted
        # ...and a full queue stays full for the next burst, a key repeats
        # (one that was written: on SQLite the burst's order may differ).
        first = accepted[0]
        again = await asyncio.gather(
            queue.accept("late", "x", {}, now=NOW, backlog=25),
            queue.accept(keys[first], people[first], {}, now=NOW, backlog=25),
        )
        assert list(again) == [Acceptance.FULL, Acceptance.REPEATED]
    finally:
        await engine.dispose()


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_bursts_larger_than_one_statement_still_keep_the_bounds(
    migrated_url: str,
) -> None:
    # More acceptances at once than one statement takes: the statements that
    # follow each other must each see the rows of the ones before.
    engine = build_engine(migrated_url)
    queue = SqlCommandQueue(engine, "slack")
    try:
        shares = await asyncio.gather(
            *(
                queue.accept(f"s{n}", f"person{n % 4}", {}, now=NOW, backlog=100_000)
                for n in range(400)
            )
        )
        taken = [n % 4 for n, r in enumerate(shares) if r is Acceptance.ACCEPTED]
        assert sorted(taken) == sorted(list(range(4)) * PER_PERSON)
        filled = await asyncio.gather(
            *(queue.accept(f"b{n}", f"p{n}", {}, now=NOW, backlog=180) for n in range(1000))
        )
        # 80 unfinished already: 100 more, not one past.
        assert filled.count(Acceptance.ACCEPTED) == 100
    finally:
        await engine.dispose()


async def test_a_silent_database_holds_a_bounded_number_and_refuses_the_rest_at_once(
    migrated_url: str,
) -> None:
    engine = build_engine(migrated_url)
    queue = SqlCommandQueue(engine, "slack", under_way_most=3)
    try:
        # Another connection holds the lock every acceptance needs: the
        # database takes them and does not answer.
        async with engine.connect() as holder:
            held = await holder.begin()  # SQLite: BEGIN IMMEDIATE, the file's write lock
            if engine.dialect.name == "postgresql":
                await holder.execute(sql("LOCK TABLE accepted_commands IN EXCLUSIVE MODE"))
            waiting = [
                asyncio.create_task(queue.accept(f"k{n}", f"p{n}", {}, now=NOW, backlog=100))
                for n in range(3)
            ]
            await asyncio.sleep(0)  # one loop turn: each is under way
            # A fourth is refused at once, not left waiting on the silence
            # (the backlog has room: it is the line in memory that is full).
            refusing = queue.accept("refused", "p9", {}, now=NOW, backlog=100)
            refused = await asyncio.wait_for(refusing, timeout=10)
            assert refused is Acceptance.BACKED_UP
            await held.rollback()
        # The lock is gone: the three land, and new ones are taken again.
        assert await asyncio.gather(*waiting) == [Acceptance.ACCEPTED] * 3
        assert await queue.accept("later", "p9", {}, now=NOW, backlog=100) is Acceptance.ACCEPTED
        async with engine.connect() as conn:
            keys = set((await conn.scalars(select(AcceptedCommandRow.delivery_key))).all())
        assert keys == {"k0", "k1", "k2", "later"}
    finally:
        await engine.dispose()
