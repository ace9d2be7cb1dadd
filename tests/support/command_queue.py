"""A command queue brought to a known shape, for the tests and benchmarks of
its claim: commands accepted in people's turns, run through, and the table
analysed as autovacuum leaves it after a quiet spell."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.ports.queue import PER_PERSON
from storage.command_queue import UNDER_WAY_MOST, SqlCommandQueue

_LEASE = timedelta(seconds=30)


async def accept_in_turn(
    queue: SqlCommandQueue,
    prefix: str,
    count: int,
    *,
    people: int,
    now: datetime,
    per_person: int = PER_PERSON,
) -> None:
    """Accept ``count`` commands (keys ``prefix0``…), person ``n % people``
    for the ``n``-th, at once in groups the queue takes without refusing
    (at most ``UNDER_WAY_MOST`` waiting on the database)."""
    for start in range(0, count, UNDER_WAY_MOST):
        await asyncio.gather(
            *(
                queue.accept(
                    f"{prefix}{n}",
                    f"p{n % people}",
                    {"n": n},
                    now=now,
                    backlog=count,
                    per_person=per_person,
                )
                for n in range(start, min(count, start + UNDER_WAY_MOST))
            )
        )


async def run_through(queue: SqlCommandQueue, owner: str, now: datetime) -> None:
    """Claim and finish every command the queue holds."""
    while done := await queue.claim(owner, now, _LEASE, 200):
        for command in done:
            await queue.finish(command.id, owner, now, done=True)


async def analyse(engine: AsyncEngine) -> None:
    """``VACUUM ANALYZE`` the queue's table (PostgreSQL), as autovacuum would."""
    async with engine.connect() as connection:
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        await connection.execute(text("VACUUM ANALYZE accepted_commands"))


async def quiet_history(
    queue: SqlCommandQueue, engine: AsyncEngine, count: int, *, people: int, now: datetime
) -> None:
    """``count`` commands run through and the table analysed: the planner
    then expects no waiting row, as after any quiet spell."""
    await accept_in_turn(queue, "h", count, people=people, now=now)
    await run_through(queue, "history", now)
    await analyse(engine)
