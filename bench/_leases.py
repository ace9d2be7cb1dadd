"""Leases, for ``bench.reminders``: how long a dead holder's rows wait before
another dispatcher takes them over, and what keeping 10,000 leases alive
costs the database.

Takeover: a dispatcher process whose chat service never answers claims a
batch of due reminders (and keeps renewing their leases); a second one starts;
the first is killed with SIGKILL; the time is from the kill to each reminder
being sent by the second. At the default settings (15 s lease renewed every
5 s) it should fall between 10 and 15 s, by where in its renewal cycle the
holder died.

Renewal: ``SqlClaimStore.renew`` over 10,000 rows one process holds, in a
ledger of 100,000, over the most a dispatcher at the default settings holds
(twice its sends in flight), and over none (the heartbeat only, what an idle
dispatcher does). Per round: statements, wall time, CPU of the
PostgreSQL backends serving this database (``/proc``, when PostgreSQL runs
on this machine), and WAL written.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.reminders import DispatcherConfig
from storage.claims import SqlClaimStore
from storage.db import build_engine, build_session_factory
from storage.repositories.ledger import NOTIFY_CHANNEL

ROOT = Path(__file__).resolve().parent.parent
CLOCK_TICK = 1 / os.sysconf("SC_CLK_TCK")
POLL = 0.05  # seconds between looks at the database while waiting


# ---- takeover ------------------------------------------------------------------


@dataclass(frozen=True)
class Takeover:
    rows: int
    first_s: float  # kill → the first of its rows sent by the other process
    last_s: float  # kill → the last one


async def _worker(url: str, *args: str) -> asyncio.subprocess.Process:
    proc = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "bench._reminder_worker", url, *args),
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
    )
    assert proc.stdout is not None
    word = (await asyncio.wait_for(proc.stdout.readline(), 60)).split(b" ")[0]
    assert word == b"ready", word
    return proc


async def _scalar(engine: AsyncEngine, sql: str, **params: Any) -> Any:
    async with engine.connect() as conn:
        return await conn.scalar(text(sql), params)


async def _wait(engine: AsyncEngine, sql: str, params: dict[str, Any], within: float) -> None:
    """Until ``sql`` (a count) reaches zero."""
    deadline = time.monotonic() + within
    while await _scalar(engine, sql, **params):
        if time.monotonic() > deadline:
            raise TimeoutError(f"still waiting after {within:.0f} s: {sql}")
        await asyncio.sleep(POLL)  # polls the database, not an event of ours


async def _due_rows(engine: AsyncEngine, meetings: list[tuple[int, str]]) -> datetime:
    """A reminder due now for each meeting (a new occurrence, so a new key)."""
    now = datetime.now(UTC)
    start = now + timedelta(minutes=10)
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO scheduled_actions (meeting_id, kind, occurrence_start,"
                " offset_seconds, recipient, fire_at, available_at, status, attempts, created_at)"
                " SELECT id, 'remind', :start, 600, chat_key, :now, :now, 'pending', 0, :now"
                " FROM meetings WHERE id = ANY(:ids)"
            ),
            {"start": start, "now": now, "ids": [m for m, _ in meetings]},
        )
        await conn.execute(
            text("SELECT pg_notify(:channel, :payload)"),
            {"channel": NOTIFY_CHANNEL, "payload": now.isoformat()},
        )
    return start


async def takeover_once(url: str, meetings: list[tuple[int, str]]) -> Takeover:
    engine = build_engine(url)
    holder = await _worker(url, "--hold")
    taker: asyncio.subprocess.Process | None = None
    try:
        start = await _due_rows(engine, meetings)
        mine = "SELECT count(*) FROM scheduled_actions WHERE occurrence_start = :start"
        await _wait(engine, f"{mine} AND status <> 'sending'", {"start": start}, 60)
        taker = await _worker(url)  # finds every row leased: waits for the lease
        holder.send_signal(signal.SIGKILL)
        killed = time.time()
        await holder.wait()
        await _wait(engine, f"{mine} AND status <> 'sent'", {"start": start}, 120)
    finally:
        if holder.returncode is None:
            holder.kill()
            await holder.wait()
        report: dict[str, Any] = {"sent": []}
        if taker is not None:
            taker.send_signal(signal.SIGTERM)
            out, _ = await taker.communicate()
            report = json.loads(out.decode().splitlines()[-1])
        await engine.dispose()
    topics = {topic for _, topic in meetings}
    times = [at - killed for topic, at in report["sent"] if topic in topics]
    assert len(times) == len(meetings), (len(times), len(meetings))
    return Takeover(len(meetings), min(times), max(times))


async def takeovers(url: str, kills: int, rows: int) -> list[Takeover]:
    """``kills`` deaths, each of a process holding ``rows`` due reminders."""
    engine = build_engine(url)
    try:
        async with engine.connect() as conn:
            found = await conn.execute(
                text(
                    "SELECT id, topic FROM meetings"
                    " WHERE id NOT IN (SELECT meeting_id FROM bench_due)"
                    " ORDER BY id LIMIT :n"
                ),
                {"n": kills * rows},
            )
            meetings = [(row.id, row.topic) for row in found]
    finally:
        await engine.dispose()
    results = []
    for k in range(kills):
        results.append(await takeover_once(url, meetings[k * rows : (k + 1) * rows]))
        print(
            f"takeover {k + 1}/{kills}: {results[-1].first_s:.1f}–{results[-1].last_s:.1f} s",
            flush=True,
        )
    return results


# ---- renewal load --------------------------------------------------------------


@dataclass(frozen=True)
class Renewal:
    rows: int
    rounds: int
    statements: float  # per round
    wall_ms: list[float]  # each round
    db_cpu_ms: float | None  # per round; None: PostgreSQL's processes not readable here
    wal_bytes: float  # per round


def _cpu_seconds(pids: list[int]) -> float | None:
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        total += (int(fields[11]) + int(fields[12])) * CLOCK_TICK  # utime + stime
    return total


async def _backends(engine: AsyncEngine) -> list[int]:
    async with engine.connect() as conn:
        result = await conn.execute(
            text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        )
        return [row.pid for row in result]


async def _wal(engine: AsyncEngine) -> int:
    return int(await _scalar(engine, "SELECT pg_current_wal_lsn() - '0/0'::pg_lsn"))


async def _rounds(
    store: SqlClaimStore, engine: AsyncEngine, owner: str, held: list[int], rounds: int
) -> Renewal:
    lease = DispatcherConfig().lease
    statements = 0

    def count(*_: object) -> None:
        nonlocal statements
        statements += 1

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    pids = await _backends(engine)
    cpu_before, wal_before = _cpu_seconds(pids), await _wal(engine)
    walls = []
    counted = 0
    try:
        for _ in range(rounds):
            now = datetime.now(UTC)
            before = statements
            began = time.perf_counter()
            renewed = await store.renew(owner, held, now, now + lease)
            walls.append((time.perf_counter() - began) * 1000)
            counted += statements - before
            assert len(renewed) == len(held), (len(renewed), len(held))
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)
    cpu_after, wal_after = _cpu_seconds(pids), await _wal(engine)
    cpu = None if cpu_before is None or cpu_after is None else cpu_after - cpu_before
    return Renewal(
        rows=len(held),
        rounds=rounds,
        statements=counted / rounds,
        wall_ms=walls,
        db_cpu_ms=None if cpu is None else cpu * 1000 / rounds,
        wal_bytes=(wal_after - wal_before) / rounds,
    )


async def renewal_load(url: str, sizes: list[int], rounds: int) -> list[Renewal]:
    """Renewal rounds over each of ``sizes`` held rows (0: the heartbeat only)."""
    engine = build_engine(url)
    owner = "bench-renewal"
    try:
        now = datetime.now(UTC)
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "UPDATE scheduled_actions SET status = 'pending', available_at = :now,"
                    " lease_owner = NULL, lease_until = NULL"
                    " WHERE id IN (SELECT action_id FROM bench_due)"
                ),
                {"now": now - timedelta(seconds=1)},
            )
        store = SqlClaimStore(build_session_factory(engine))
        lease = DispatcherConfig().lease
        await store.register(owner, now, now + lease)
        held = [a.id for a in await store.claim(owner, now, lease, max(sizes))]
        assert len(held) == max(sizes), len(held)
        await _rounds(store, engine, owner, held, 3)  # warm: connections, plans, caches
        measured = [await _rounds(store, engine, owner, held[:n], rounds) for n in sizes]
        async with engine.begin() as conn:  # done with: out of every later claim
            await conn.execute(
                text(
                    "UPDATE scheduled_actions SET status = 'sent', lease_owner = NULL,"
                    " lease_until = NULL WHERE lease_owner = :owner"
                ),
                {"owner": owner},
            )
        return measured
    finally:
        await engine.dispose()
