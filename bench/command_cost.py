"""What one command costs the bridge: CPU on its event loop and database round
trips, by command kind, with the store's statements fused and one by one.

    .venv/bin/python -m bench.command_cost [--commands 40] [--repeats 3] [--quick]

The core as ``build_app`` assembles it (the command service, the TrueConf
client against the built-in sandbox on loopback, answering at once) runs in
this process; each command is what a Slack command costs after its
acknowledgement: the delivery record (as ``SlackBridge.first_time`` writes
it), then ``CommandService.handle``. Two services share the one engine: one
whose store fuses statements (the default) and one that runs them one by one
(``SqlUnitOfWorkFactory(fused=False)``, the statements as they were), in
alternating blocks, so the ratio between them is measured side by side.

CPU is ``time.thread_time()`` of the event loop's thread (the sandbox serves
from its own thread). Round trips are counted by SQLAlchemy event listeners on
the engine: each statement sent (``before_cursor_execute``), and BEGIN, COMMIT
and ROLLBACK of connections that are not in autocommit (on SQLite, in the
process, they are statements, not network round trips).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import AsyncExitStack
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from bench._cli import arguments, block_arguments, parse
from bench._machine import describe
from bench._pg import scratch_database
from bench._report import Goal, command, table, verdict, write_section
from bot.chat import ChatRef, Mention, Standing, UserRef
from bot.commands import CommandInput
from bot.reply import Capabilities
from bot.service import CommandService
from meetbridge.compose import build_app
from meetbridge.config import load_config
from storage import SqlUnitOfWorkFactory, build_engine, build_session_factory

NAME = "command_cost"
CPU_GOAL = 0.005  # seconds per command, p50
TRIPS_GOAL = 3  # database round trips of `now` on PostgreSQL
KINDS = {
    "now": "now Cost check",
    "now, 2 mentions": "now Cost check @alice @bob",
    "once": "tomorrow 15:00 for 30m Cost check",
    "weekly": "weekly mon,wed 10:00 for 30m Cost check",
    "list": "list",
}
PATHS = ("one by one", "fused")
# The previous run's fused figures on PostgreSQL (commit e0f754f, its own run,
# load average 3.2): round trips, loop CPU p50 ms. Another run on a shared
# machine: compare the trips exactly, the CPU only roughly.
PREVIOUS = {
    "now": (4, 6.87),
    "now, 2 mentions": (4, 7.86),
    "once": (4, 6.87),
    "weekly": (4, 10.46),
    "list": (8, 8.00),
}
SPEAKER = UserRef("slack", "T0COST", "U0COST", "carol")
WORK_CHAT = ChatRef("slack", "T0COST", "C0WORK")
LIST_CHAT = ChatRef("slack", "T0COST", "C0LIST")
LIST_MEETINGS = 20
MENTIONS = (
    Mention("alice", user_id="U0ALICE", email="alice@example.com"),
    Mention("bob", user_id="U0BOB", email="bob@example.com"),
)


class TripCounter:
    """Database round trips of the engine, counted as they happen."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.count = 0
        self.statements: Counter[str] = Counter()
        sync = engine.sync_engine
        event.listen(sync, "before_cursor_execute", self._statement)
        event.listen(sync, "begin", self._begin)
        event.listen(sync, "commit", self._end)
        event.listen(sync, "rollback", self._end)

    def _statement(self, _conn: Connection, _cursor: Any, sql: str, *_: Any) -> None:
        self.count += 1
        self.statements[sql.split(None, 1)[0].upper()] += 1

    @staticmethod
    def _autocommit(conn: Connection) -> bool:
        return conn.get_execution_options().get("isolation_level") == "AUTOCOMMIT"

    def _begin(self, conn: Connection) -> None:
        # SQLite's BEGIN is a statement of ours (storage.db), counted as one.
        if not self._autocommit(conn) and conn.dialect.name != "sqlite":
            self.count += 1
            self.statements["BEGIN"] += 1

    def _end(self, conn: Connection) -> None:
        if not self._autocommit(conn):
            self.count += 1
            self.statements["COMMIT/ROLLBACK"] += 1


@dataclass
class Sample:
    database: str
    path: str
    kind: str
    cpu: float  # seconds of the loop thread
    wall: float
    trips: int


@dataclass
class Rig:
    database: str
    services: dict[str, CommandService]
    factories: dict[str, SqlUnitOfWorkFactory]
    trips: TripCounter
    deliveries: Iterator[int]

    async def run(self, path: str, text: str, chat: ChatRef) -> tuple[float, float, int]:
        mentions = MENTIONS if "@" in text else ()
        command_input = CommandInput(
            text=text, chat=chat, user=SPEAKER, mentions=mentions, standing=Standing.MEMBER
        )
        before_trips = self.trips.count
        started_cpu, started = time.thread_time(), time.perf_counter()
        async with self.factories[path](transaction=False) as uow:  # as SlackBridge.first_time
            await uow.deliveries.first_time("slack", f"command:{next(self.deliveries)}")
            await uow.commit()
        reply = await self.services[path].handle(command_input, Capabilities())
        cpu, wall = time.thread_time() - started_cpu, time.perf_counter() - started
        if reply.is_error:
            raise RuntimeError(f"{text!r}: {reply.plain_text()}")
        return cpu, wall, self.trips.count - before_trips


async def measure(
    database: str, url: str, args: argparse.Namespace, profiles: list[dict[str, dict[str, float]]]
) -> list[Sample]:
    settings = load_config(
        env_file=None,
        database_url=url,
        trueconf_server_url="sandbox",
        trueconf_owner="carol",
        default_timezone="Europe/Moscow",
        trueconf_server_timezone="Europe/Moscow",
        log_level="WARNING",
    )
    samples: list[Sample] = []
    async with AsyncExitStack() as stack:
        app = await stack.enter_async_context(build_app(settings))
        engine = build_engine(url)
        stack.push_async_callback(engine.dispose)
        sessions = build_session_factory(engine)
        factories = {path: SqlUnitOfWorkFactory(sessions, fused=path == "fused") for path in PATHS}
        services = {path: CommandService(replace(app.deps, uow=factories[path])) for path in PATHS}
        rig = Rig(database, services, factories, TripCounter(engine), iter(range(10**9)))
        for n in range(LIST_MEETINGS):
            await rig.run("fused", f"tomorrow 1{n % 10}:00 for 30m Listed {n}", LIST_CHAT)
        for path in PATHS:  # warm-up: imports, connections, the token, caches
            for text in KINDS.values():
                for _ in range(5):
                    await rig.run(path, text, LIST_CHAT if text == "list" else WORK_CHAT)
        for repeat in range(args.repeats):
            for path in PATHS if repeat % 2 == 0 else PATHS[::-1]:
                for kind, text in KINDS.items():
                    chat = LIST_CHAT if kind == "list" else WORK_CHAT
                    for _ in range(args.commands):
                        cpu, wall, trips = await rig.run(path, text, chat)
                        samples.append(Sample(database, path, kind, cpu, wall, trips))
            print(f"{database}: repeat {repeat} done", flush=True)
        if database == "postgres":
            profiles.append({kind: await profile(rig, kind) for kind in PROFILED})
    return samples


GROUPS = (
    ("SQLAlchemy ORM and session", ("sqlalchemy/orm", "sqlalchemy/ext/asyncio")),
    ("SQLAlchemy Core and engine", ("sqlalchemy/",)),
    ("asyncpg", ("asyncpg/",)),
    ("asyncio event loop", ("asyncio/", "selectors.py")),
    ("httpx / httpcore / h11 (the TrueConf call)", ("httpx/", "httpcore/", "h11/", "anyio/")),
    ("the bridge: core (parse, rules, render)", ("/bot/",)),
    ("the bridge: storage", ("/storage/",)),
    ("the bridge: adapters", ("/adapters/",)),
    ("logging", ("logging/",)),
)


def group_of(path: str) -> str:
    for name, parts in GROUPS:
        if any(part in path for part in parts):
            return name
    return "other (stdlib, pydantic, zoneinfo, …)"


PROFILED = ("now", "once", "weekly", "list")


async def profile(rig: Rig, kind: str) -> dict[str, float]:
    """Where the loop thread's CPU of 100 fused ``kind`` commands goes, by
    package (cProfile's own time per function, grouped by file): each
    group's share."""
    chat = LIST_CHAT if kind == "list" else WORK_CHAT
    profiler = cProfile.Profile(time.thread_time)
    profiler.enable()
    for _ in range(100):
        await rig.run("fused", KINDS[kind], chat)
    profiler.disable()
    stats = pstats.Stats(profiler)
    shares: Counter[str] = Counter()
    for (path, _line, _fn), row in stats.stats.items():  # type: ignore[attr-defined]
        shares[group_of(path)] += row[2]  # tottime
    total = sum(shares.values()) or 1.0
    return {name: seconds / total for name, seconds in shares.items()}


def previous(kind: str) -> str:
    trips, cpu = PREVIOUS[kind]
    return f"{trips}, {cpu:.2f}"


def report(
    samples: list[Sample],
    profiles: list[dict[str, dict[str, float]]],
    args: argparse.Namespace,
    machine: str,
    took: float,
) -> tuple[str, list[Goal]]:
    rows = []
    goals: list[Goal] = []
    cpu_met = True
    cpus: list[float] = []
    trips_now_pg = 0.0
    for database in ("postgres", "sqlite"):
        for kind in KINDS:
            mine = [s for s in samples if s.database == database and s.kind == kind]
            old = [s for s in mine if s.path == "one by one"]
            new = [s for s in mine if s.path == "fused"]
            old_cpu = statistics.median(s.cpu for s in old)
            new_cpu = statistics.median(s.cpu for s in new)
            old_trips = statistics.median(s.trips for s in old)
            new_trips = statistics.median(s.trips for s in new)
            old_wall = statistics.median(s.wall for s in old)
            new_wall = statistics.median(s.wall for s in new)
            if database == "postgres":
                cpu_met &= new_cpu <= CPU_GOAL
                cpus.append(new_cpu)
                if kind == "now":
                    trips_now_pg = new_trips
            rows.append(
                [
                    database,
                    f"`{kind}`",
                    f"{old_trips:g} → **{new_trips:g}**",
                    f"{old_cpu * 1000:.2f} → **{new_cpu * 1000:.2f}**",
                    f"{new_cpu / old_cpu:.2f}×",
                    f"{old_wall * 1000:.2f} → {new_wall * 1000:.2f}",
                    previous(kind) if database == "postgres" else "–",
                    verdict(new_cpu <= CPU_GOAL) if database == "postgres" else "–",
                ]
            )
    trips_met = trips_now_pg <= TRIPS_GOAL
    goals.append(
        Goal(
            f"Database round trips of `/meet now` on PostgreSQL at most {TRIPS_GOAL}",
            f"{trips_now_pg:g} (delivery record, one read, one write; was 4)",
            trips_met,
        )
    )
    goals.append(
        Goal(
            "Bridge CPU per command (core and store, after the acknowledgement) at most 5 ms p50",
            f"{min(cpus) * 1000:.1f}–{max(cpus) * 1000:.1f} ms on PostgreSQL by command kind",
            cpu_met,
        )
    )
    shares = profiles[0] if profiles else {}
    groups = sorted(
        {name for by_group in shares.values() for name in by_group},
        key=lambda name: -sum(by_group.get(name, 0.0) for by_group in shares.values()),
    )
    profile_rows = [
        [name, *(f"{shares[kind].get(name, 0.0) * 100:.0f}%" for kind in shares)] for name in groups
    ]
    headers = [
        "database",
        "command",
        "round trips, one by one → fused",
        "loop CPU p50 ms, one by one → fused",
        "CPU fused / one by one",
        "wall p50 ms",
        "previous run: trips, CPU ms (fused)",
        "goal CPU ≤ 5 ms",
    ]
    text = f"""## 2b. Cost of one command: CPU and database round trips (`bench/command_cost.py`)

`{command(f"bench.{NAME}")}` — {took:.0f} s. {machine}

The core as `build_app` assembles it runs in the benchmark's process, against the
built-in TrueConf sandbox (its own thread, answering at once) and a fresh database;
each command is the delivery record Slack's adapter writes, then
`CommandService.handle` (parse, the handler, the TrueConf call, the reply, the audit
line). Two services over one engine, in alternating blocks of {args.commands}, {args.repeats}
repeats: the store's statements *one by one* (`SqlUnitOfWorkFactory(fused=False)`,
as before) and *fused* (the default now: the settings and the links of the speaker and
the mentioned people in one `SELECT … UNION ALL …`; a new meeting, its invitees, first
reminder rows, the dispatchers' `pg_notify`, the audit line and the live card's record
in one `INSERT` statement of data-modifying CTEs, outside a transaction; `list`'s
meetings with their invitees in one Core `SELECT … LEFT JOIN`, no ORM load). CPU is the event loop
thread's (`time.thread_time()`), p50; round trips are counted by SQLAlchemy event
listeners on the engine (statements, and BEGIN/COMMIT outside autocommit; on SQLite
they are calls into the library in the process, not network round trips, and the
count is of statements and commits). Measured
side by side on a shared 2-core machine: read the ratio column first.

{table(headers, rows)}

Round trips of `/meet now` on PostgreSQL: **{trips_now_pg:g}** against a goal of at most
{TRIPS_GOAL}: {verdict(trips_met)} (the delivery record, the read, and the write, which now
carries the live card's record too: it was a write of its own). Posted as a live card (in
`meetbridge serve`), the card's message id is one write more once the card is out, and the
running meeting's polls are the reminder dispatcher's work, the first a poll interval on
(the meeting is stored running, nobody in, as a poll at once would have found it). CPU
per command at p50 on PostgreSQL:
{min(cpus) * 1000:.1f}–{max(cpus) * 1000:.1f} ms against 5 ms: {verdict(cpu_met)}. This is the
bridge's core and store alone; what Slack's HTTP request, bolt and the reply post add is
in section 2 (`bridge_overhead`, measured on `meetbridge serve`).

Where the loop thread's CPU goes, by command kind (fused, PostgreSQL; cProfile's own
time per function over 100 commands of each kind, grouped by package; cProfile slows
small functions most, so read the shares, not the total):

{table(["package", *(f"`{kind}`" for kind in shares)], profile_rows)}
"""
    return text, goals


async def run(
    args: argparse.Namespace, profiles: list[dict[str, dict[str, float]]]
) -> list[Sample]:
    samples: list[Sample] = []
    async with scratch_database() as url:
        samples += await measure("postgres", url, args, profiles)
    sqlite_url = f"sqlite+aiosqlite:///{args.sqlite}"
    samples += await measure("sqlite", sqlite_url, args, profiles)
    return samples


def main() -> None:
    parser = arguments(__doc__, quick="10 commands a block, one repeat")
    block_arguments(parser, commands=40)
    args = parse(parser, commands=10, repeats=1)
    machine = asyncio.run(describe())
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        args.sqlite = str(Path(tmp) / "cost.db")
        profiles: list[dict[str, dict[str, float]]] = []
        samples = asyncio.run(run(args, profiles))
    took = time.monotonic() - started
    write_section(NAME, *report(samples, profiles, args, machine, took))


if __name__ == "__main__":
    main()
