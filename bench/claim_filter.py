"""What the platform filter costs a claim: 200 due rows claimed among
100,000 pending on PostgreSQL, with no filter (as before) and with the
platforms a process posts to (as ``serve`` claims), side by side.

    .venv/bin/python -m bench.claim_filter [--quick]

Half the due rows are for a TrueConf chat this process does not hold the
connection of, so the filtered claim steps over them: the worst case of a
standby's claim. Each round claims then releases, alternating the two
forms; the first rounds warm the caches and are dropped. The plan is
printed too: the index walk in fire order, each row's meeting looked up by
key, stopping at the limit.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from bench._cli import arguments, parse
from bench._pg import scratch_database
from bot.chat import ChatRef
from storage.claims import SqlClaimStore, pg_candidates
from storage.db import build_engine, build_session_factory
from storage.migrate import upgrade
from tests.support.reminders import seed

LEASE = timedelta(seconds=15)
LIMIT = 200
CHATS = (ChatRef("console", "local", "room"), ChatRef("trueconf_chat", "tc.example", "group"))
PLATFORMS = frozenset({"console", "slack"})
WARM_UP = 5


async def measure(pending: int, due: int, rounds: int) -> None:
    async with scratch_database("meetbridge_claim_filter") as url:
        await upgrade(url)
        engine = build_engine(url)
        try:
            now = datetime.now(UTC)
            later = [now + timedelta(days=1 + n % 29, seconds=n) for n in range(pending - due)]
            sessions = build_session_factory(engine)
            await seed(sessions, [now - timedelta(seconds=1)] * due + later, now=now, chats=CHATS)
            async with engine.begin() as connection:
                await connection.execute(text("ANALYZE"))
            store = SqlClaimStore(sessions)
            times: dict[str, list[float]] = {"no filter": [], "filtered": []}
            for _ in range(rounds):
                for name, platforms in (("no filter", None), ("filtered", PLATFORMS)):
                    started = time.perf_counter()
                    claimed = await store.claim("bench", datetime.now(UTC), LEASE, LIMIT, platforms)
                    times[name].append((time.perf_counter() - started) * 1000)
                    assert len(claimed) == LIMIT, len(claimed)
                    await store.release("bench", datetime.now(UTC))
            print(f"{pending} pending, {due} due (half for another platform), {LIMIT} claimed")
            print("| claim | p50 ms | max ms |\n|---|---|---|")
            for name, values in times.items():
                kept = values[WARM_UP:]
                print(f"| {name} | {statistics.median(kept):.2f} | {max(kept):.2f} |")
            ratio = statistics.median(times["filtered"][WARM_UP:]) / statistics.median(
                times["no filter"][WARM_UP:]
            )
            print(f"\nfiltered / no filter at p50: {ratio:.2f}x; load average {os.getloadavg()}")
            async with engine.connect() as connection:
                statement = pg_candidates(datetime.now(UTC), LIMIT, PLATFORMS).compile(
                    connection.sync_connection, compile_kwargs={"literal_binds": True}
                )
                plan = await connection.execute(text(f"EXPLAIN ANALYZE {statement}"))
                print("\n```\n" + "\n".join(row[0] for row in plan) + "\n```")
        finally:
            await engine.dispose()


def main() -> None:
    parser = arguments(__doc__, "10,000 pending, 20 rounds")
    parser.add_argument("--pending", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=2_000)
    parser.add_argument("--rounds", type=int, default=40)
    args = parse(parser, pending=10_000, rounds=20)
    asyncio.run(measure(args.pending, args.due, args.rounds + WARM_UP))


if __name__ == "__main__":
    main()
