"""Reminder dispatch under load, on PostgreSQL.

    .venv/bin/python -m bench.reminders [--pending 100000] [--due 10000] [--window 60]

A throw-away database gets ``--pending`` pending reminders, of which ``--due``
come due spread evenly over ``--window`` seconds; the rest lie days ahead.
One dispatcher process (the production ``Dispatcher``, its own process so its
memory is its own) sends them through a messenger fake that answers at once.
Reported: lag from due time to send (p50, p99, max), the dispatcher's peak
resident memory, and PostgreSQL's plan for the claim query. Targets: p99
under 1 s, peak under 200 MB, an index scan. The admin URL comes from
``BENCH_POSTGRES_URL`` (default: the test server on 127.0.0.1:5432).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import secrets
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from adapters.reminders import Dispatcher, DispatcherConfig
from bot.clock import SystemClock
from bot.reminders.delivery import ActionPerformer, DeliveryPolicy
from storage.claims import PG_CLAIM, SqlClaimStore
from storage.db import build_engine, build_session_factory
from storage.migrate import upgrade
from storage.models import ScheduledActionRow
from storage.notify import ActionListener
from storage.uow import SqlUnitOfWorkFactory
from tests.support.reminders import TopicRecorder, core_deps, messengers_with, seed

ROOT = Path(__file__).resolve().parent.parent
ADMIN_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
LEAD = 15.0  # seconds between seeding's end and the first due reminder


def _dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _admin(sql: str) -> None:
    conn = await asyncpg.connect(_dsn(ADMIN_URL))
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


# ---- the dispatcher process --------------------------------------------------


async def dispatch(url: str, due: int, fire_file: str) -> None:
    times = json.loads(await asyncio.to_thread(Path(fire_file).read_text))
    fire = {f"r{n}": datetime.fromisoformat(t) for n, t in enumerate(times)}
    engine = build_engine(url)
    sessions = build_session_factory(engine)
    clock = SystemClock()
    recorder = TopicRecorder(clock)
    deps = core_deps(SqlUnitOfWorkFactory(sessions, clock=clock), clock)
    performer = ActionPerformer(deps, messengers_with(recorder), DeliveryPolicy())
    dispatcher = Dispatcher(SqlClaimStore(sessions), performer, clock, DispatcherConfig())
    dispatcher.attach_listener(ActionListener(url, dispatcher.wake))
    await dispatcher.start()
    print("ready", flush=True)
    while len(recorder.sent) < due:  # noqa: ASYNC110 (polls a plain list)
        await asyncio.sleep(0.2)
    await dispatcher.stop()
    await engine.dispose()
    lags = [(at - fire[topic]).total_seconds() for topic, at in recorder.sent]
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"lags": lags, "peak_mb": peak_kb / 1024}), flush=True)


# ---- the driver ----------------------------------------------------------------


async def plan_of_claim(url: str) -> str:
    engine = build_engine(url)
    try:
        async with engine.connect() as conn:
            await conn.execute(text("ANALYZE scheduled_actions"))
            inner = PG_CLAIM.text.split("WHERE a.id IN (", 1)[1].rsplit(")", 1)[0]
            now = datetime.now(UTC)
            result = await conn.execute(text(f"EXPLAIN {inner}"), {"now": now, "limit": 200})
            return "\n".join(row[0] for row in result)
    finally:
        await engine.dispose()


async def prepare(url: str, pending: int, due: int, window: float) -> list[datetime]:
    await upgrade(url)
    engine = build_engine(url)
    sessions = build_session_factory(engine)
    now = datetime.now(UTC)
    # Seeding takes a while: place the due window after it, measured first.
    started = time.monotonic()
    later = [now + timedelta(days=1 + n % 29, seconds=n) for n in range(pending - due)]
    await seed(sessions, later, now=now)
    rate = (pending - due) / max(time.monotonic() - started, 0.001)
    first = datetime.now(UTC) + timedelta(seconds=due / rate + LEAD)
    fire = [first + timedelta(seconds=window * n / due) for n in range(due)]
    # seed() names topics r0…; the due ones are seeded in a second database pass
    # under the same names, so shift the far ones out of their way first.
    async with sessions() as session:
        await session.execute(
            text("UPDATE meetings SET topic = 'f' || topic, conference_id = 'f' || conference_id")
        )
        await session.commit()
    await seed(sessions, fire, now=now)
    async with sessions() as session:
        count = await session.scalar(select(func.count()).select_from(ScheduledActionRow))
    assert count == pending, count
    await engine.dispose()
    return fire


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


@dataclass(frozen=True)
class Result:
    pending: int
    due: int
    window: float
    lags: list[float]
    peak_mb: float
    plan: str

    @property
    def index_used(self) -> bool:
        return "ix_scheduled_actions_claimable" in self.plan


async def run(pending: int, due: int, window: float) -> Result:
    name = f"meetbridge_bench_{secrets.token_hex(4)}"
    await _admin(f'CREATE DATABASE "{name}"')
    url = make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    try:
        fire = await prepare(url, pending, due, window)
        fire_file = ROOT / "var" / f"{name}.json"
        await asyncio.to_thread(fire_file.parent.mkdir, exist_ok=True)
        await asyncio.to_thread(fire_file.write_text, json.dumps([f.isoformat() for f in fire]))
        proc = await asyncio.create_subprocess_exec(
            *(sys.executable, "-m", "bench.reminders", "--dispatch", url, str(due)),
            str(fire_file),
            cwd=ROOT,
            stdout=asyncio.subprocess.PIPE,
        )
        output, _ = await proc.communicate()
        await asyncio.to_thread(fire_file.unlink)
        report = json.loads(output.decode().splitlines()[-1])
        plan = await plan_of_claim(url)
    finally:
        await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return Result(pending, due, window, report["lags"], report["peak_mb"], plan)


def section(r: Result, seconds: float) -> str:
    def verdict(good: bool) -> str:
        return "meets the target" if good else "MISSES the target"

    p50, p99, worst = statistics.median(r.lags), percentile(r.lags, 0.99), max(r.lags)
    index = "yes" if r.index_used else "NO"
    return f"""## Reminders: dispatch lag and memory (`bench/reminders.py`)

`.venv/bin/python -m bench.reminders` — {r.pending:,} pending reminders in
PostgreSQL, {r.due:,} of them due evenly over {r.window:.0f} s; one dispatcher
process, a messenger fake that answers at once. The run took {seconds:.0f} s.

| measure | value | target |
|---|---|---|
| reminders sent | {len(r.lags):,} of {r.due:,} | all |
| lag p50 | {p50 * 1000:.0f} ms | |
| lag p99 | {p99 * 1000:.0f} ms | < 1 s: {verdict(p99 < 1)} |
| lag max | {worst * 1000:.0f} ms | |
| dispatcher peak RSS | {r.peak_mb:.0f} MB | < 200 MB: {verdict(r.peak_mb < 200)} |
| claim uses `ix_scheduled_actions_claimable` | {index} | an index, not a scan |

Lag is send time minus due time; no reminder is sent early (the least lag
is {min(r.lags) * 1000:.0f} ms). The claim query's plan (its inner
`SELECT … FOR UPDATE SKIP LOCKED`, after `ANALYZE`):

```
{r.plan}
```
"""


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--dispatch":
        asyncio.run(dispatch(sys.argv[2], int(sys.argv[3]), sys.argv[4]))
        return
    parser = argparse.ArgumentParser(prog="bench.reminders")
    parser.add_argument("--pending", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=10_000)
    parser.add_argument("--window", type=float, default=60.0)
    args = parser.parse_args()
    started = time.monotonic()
    result = asyncio.run(run(args.pending, args.due, args.window))
    text_ = section(result, time.monotonic() - started)
    print(text_)
    out = ROOT / "docs" / "bench" / "reminders.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text_)


if __name__ == "__main__":
    main()
