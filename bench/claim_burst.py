"""What a claim of the accepted-commands queue costs in a burst, on
PostgreSQL: the claim as it is (the oldest heads of the people's lines, from
one short array) against the per-row form it replaced (no earlier unfinished
row of the same person, as SQLite's claim still is), on the same table.

    .venv/bin/python -m bench.claim_burst [--quick]

Each case first runs a history of commands through the queue (accepted,
claimed, finished) and analyses the table, as autovacuum leaves it after a
quiet spell: the planner then expects no waiting row. A burst is then
accepted, another worker holds 8 commands, and each round claims 8 and
finishes them, alternating the two forms; the first rounds warm the caches
and are dropped.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bench._cli import arguments, parse
from bench._pg import scratch_database
from storage import command_queue
from storage.columns import UtcDateTime
from storage.command_queue import SqlCommandQueue
from storage.db import build_engine
from storage.migrate import upgrade
from tests.support.command_queue import accept_in_turn, quiet_history

LEASE = timedelta(seconds=30)
LIMIT = 8
WARM_UP = 3


@dataclass(frozen=True, slots=True)
class Case:
    history: int  # commands run through the queue before it was analysed
    waiting: int  # commands accepted in the burst
    people: int  # whose lines they are in (round robin)


def per_row_claim() -> Any:
    """The claim before: each row tested for an earlier unfinished row."""
    # The statement it replaced, rebuilt from the pieces SQLite still uses.
    table = command_queue._TABLE
    per_row = command_queue._CLAIMABLE
    taken = per_row.with_for_update(skip_locked=True).scalar_subquery()
    return (
        update(table)
        .where(table.c.id.in_(taken))
        .values(
            status="working",
            lease_owner=bindparam("owner"),
            available_at=bindparam("until", type_=UtcDateTime()),
            attempts=table.c.attempts + 1,
        )
        .returning(table.c.id)
    )


async def _claim_with(engine: AsyncEngine, statement: Any, owner: str) -> list[int]:
    now = datetime.now(UTC)
    values = {"queue": "slack", "owner": owner, "now": now, "until": now + LEASE, "limit": LIMIT}
    async with engine.begin() as connection:
        return [row[0] for row in await connection.execute(statement, values)]


async def measure(case: Case, rounds: int) -> dict[str, float]:
    async with scratch_database("meetbridge_claim_burst") as url:
        await upgrade(url)
        engine = build_engine(url)
        try:
            queue = SqlCommandQueue(engine, "slack")
            now = datetime.now(UTC)
            await quiet_history(queue, engine, case.history, people=case.people, now=now)
            await accept_in_turn(
                queue, "b", case.waiting, people=case.people, now=now, per_person=case.waiting
            )
            await queue.claim("other", now, LEASE, LIMIT)  # held throughout
            forms = {"array of heads": command_queue._CLAIM_POSTGRES, "per row": per_row_claim()}
            times: dict[str, list[float]] = {name: [] for name in forms}
            for _ in range(rounds):
                for name, statement in forms.items():
                    started = time.perf_counter()
                    ids = await _claim_with(engine, statement, name)
                    times[name].append((time.perf_counter() - started) * 1000)
                    for command_id in ids:
                        await queue.finish(command_id, name, datetime.now(UTC), done=True)
            return {name: statistics.median(values[WARM_UP:]) for name, values in times.items()}
        finally:
            await engine.dispose()


async def run(cases: list[Case], rounds: int) -> None:
    print("| history | waiting | people | array of heads, p50 ms | per row, p50 ms | ratio |")
    print("|---|---|---|---|---|---|")
    for case in cases:
        got = await measure(case, rounds + WARM_UP)
        ratio = got["per row"] / got["array of heads"]
        print(
            f"| {case.history:,} | {case.waiting:,} | {case.people:,} |"
            f" {got['array of heads']:.2f} | {got['per row']:.2f} | {ratio:.1f}× |",
            flush=True,
        )
    print(f"\nload average {os.getloadavg()}")


def main() -> None:
    parser = arguments(__doc__, "two small cases, 5 rounds")
    parser.add_argument("--rounds", type=int, default=15)
    args = parse(parser, rounds=5)
    cases = [
        Case(history=2000, waiting=100, people=100),
        Case(history=2000, waiting=900, people=100),
        Case(history=2000, waiting=2000, people=100),
        Case(history=300, waiting=2000, people=2000),
    ]
    if args.quick:
        cases = [
            Case(history=200, waiting=100, people=20),
            Case(history=200, waiting=600, people=600),
        ]
    asyncio.run(run(cases, args.rounds))


if __name__ == "__main__":
    main()
