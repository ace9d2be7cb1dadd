"""Telegram's limits across replicas: three bridge processes on one bot token
deliver one burst of reminders between them, to the strict fake Bot API.

    .venv/bin/python -m bench.telegram_replicas [--scale 0.5] [--quick]

Each replica is its own process (``bench._telegram_replica``: the Telegram
messenger, its rate limiter and python-telegram-bot over HTTP), sending every
third reminder of the burst from the same moment; the groups are the same for
all three, so each chat's reminders come from every replica. The fake Bot API
(``tests.support.telegram_api``) counts every window as a sliding window, at
exactly Telegram's published limits (windows ``--scale`` times as long), and
answers 429 to any send over one. Two ways side by side, in one run: the
limits *shared* through the database (``storage.send_windows``: every send
booked in PostgreSQL) and each replica with *its own* limiter (as before: three
times the budget). The time is from the burst's start to the last message the
fake took; the least is what the windows alone allow (``bench.telegram_burst``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from adapters.telegram.ratelimit import Limits
from bench._machine import describe
from bench._pg import scratch_database
from bench._report import Goal, command, table, verdict, write_section
from bench.telegram_burst import least_time
from storage import upgrade
from tests.support.telegram_api import FakeTelegram, FakeTelegramServer

NAME = "telegram_replicas"
ROOT = Path(__file__).resolve().parent.parent
REPLICAS = 3
GOAL = 1.10  # time / least
LEAD = 0.2  # seconds from the last replica ready to the burst


@dataclass(frozen=True)
class Run:
    how: str
    reminders: int
    groups: int
    scale: float
    delivered: int
    refused: int  # 429 answers
    rebooked: int  # sends woken too late for their moment, booked again
    seconds: float
    least: float

    @property
    def ratio(self) -> float:
        return self.seconds / self.least

    @property
    def met(self) -> bool:
        return self.delivered == self.reminders and self.refused == 0 and self.ratio <= GOAL


async def burst(url: str, reminders: int, groups: int, scale: float, shared: bool) -> Run:
    server = FakeTelegramServer(FakeTelegram(scale=scale))
    await asyncio.to_thread(server.start)
    try:
        args = {
            "database_url": url,
            "api_url": server.url,
            "token": server.state.token,
            "bot_id": str(server.state.bot_id),
            "scale": scale,
            "replicas": REPLICAS,
            "reminders": reminders,
            "groups": groups,
            "shared": shared,
        }
        replicas = [
            await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bench._telegram_replica",
                json.dumps({**args, "index": n}),
                cwd=ROOT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
            )
            for n in range(REPLICAS)
        ]
        start = await _started(replicas)
        outputs = [await r.communicate() for r in replicas]
        if any(r.returncode for r in replicas):
            raise RuntimeError("a replica failed")
        rebooked = sum(json.loads(out)["rebooked"] for out, _ in outputs)
    finally:
        await asyncio.to_thread(server.stop)
    sent = server.state.sent()
    refused_why = _why_refused(server.state.refused, sent, scale)
    print(f"refused: {refused_why}", flush=True)
    return Run(
        how="shared through the database" if shared else "each replica its own limiter",
        reminders=reminders,
        groups=groups,
        scale=scale,
        delivered=len(sent),
        refused=len(server.state.refused),
        rebooked=rebooked,
        seconds=max(c.at for c in sent) - start,
        least=least_time(reminders, groups, Limits().scaled(scale)),
    )


async def _started(replicas: list[asyncio.subprocess.Process]) -> float:
    """Once every replica is ready, the burst's moment, told to each."""
    for replica in replicas:
        assert replica.stdout is not None
        if (await replica.stdout.readline()).strip() != b"ready":
            raise RuntimeError("a replica did not start")
    start = time.monotonic() + LEAD
    for replica in replicas:
        assert replica.stdin is not None
        replica.stdin.write(f"{start!r}\n".encode())
        await replica.stdin.drain()
    return start


def _why_refused(refused: list[Any], sent: list[Any], scale: float) -> dict[str, int]:
    """Which window each refused send would have broken (a send may break several)."""
    why: Counter[str] = Counter()
    for call in refused:
        recent = [c for c in sent if call.at - scale < c.at <= call.at]
        if len(recent) >= 30:
            why["overall"] += 1
        if any(c.chat_id == call.chat_id for c in recent):
            why["per chat"] += 1
    return dict(why)


async def run(plan: list[tuple[int, int, float]]) -> list[Run]:
    runs: list[Run] = []
    async with scratch_database() as url:
        await upgrade(url)
        for reminders, groups, scale in plan:
            for shared in (True, False):
                runs.append(await burst(url, reminders, groups, scale, shared))
                r = runs[-1]
                print(
                    f"{r.reminders} over {r.groups}, {r.how}: {r.seconds:.2f} s"
                    f" (least {r.least:.2f}), {r.refused} refused",
                    flush=True,
                )
    return runs


def report(runs: list[Run], machine: str, took: float) -> tuple[str, list[Goal]]:
    rows = [
        [
            f"{r.reminders:,} over {r.groups:,}",
            f"× {r.scale:g}",
            r.how,
            f"{r.delivered:,}" + ("" if r.delivered == r.reminders else " (NOT ALL)"),
            f"**{r.refused}**",
            f"{r.rebooked}" if r.how.startswith("shared") else "",
            f"{r.seconds:.2f}",
            f"{r.least:.2f}",
            f"**{r.ratio:.3f}×**",
            verdict(r.met),
        ]
        for r in runs
    ]
    shared = [r for r in runs if r.how.startswith("shared")]
    met = all(r.met for r in shared)
    own = [r for r in runs if not r.how.startswith("shared")]
    goal = Goal(
        "Telegram limits across 3 replicas on one bot token: no 429, within 10% of the"
        " least time the limits allow",
        "; ".join(
            f"{r.reminders:,}/{r.groups:,} × {r.scale:g}: {r.refused} 429s, {r.ratio:.2f}×"
            for r in shared
        )
        + " (each replica its own limiter: "
        + ", ".join(f"{r.refused} 429s" for r in own)
        + ")",
        met,
    )
    headers = [
        "reminders over groups",
        "windows",
        "limits",
        "delivered",
        "429s",
        "rebooked",
        "time to deliver all s",
        "least the limits allow s",
        "time / least",
        "no 429, ≤ 1.10×",
    ]
    text = f"""## 4c. Telegram limits across replicas (`bench/telegram_replicas.py`)

`{command(f"bench.{NAME}")}` — {took:.0f} s. {machine}

{REPLICAS} replicas, each its own process with the Telegram messenger, its rate limiter
and python-telegram-bot, deliver one burst of reminders between them on one bot token
(a third each, from the same moment, every group hearing from every replica) to the
fake Bot API, which enforces Telegram's published limits as sliding windows (one
message a second per chat, 20 a minute per group, 30 a second overall; every window ×
the scale) and answers 429 to any send over them. The burst starts once every replica
is ready. Side by side in one run: the limits *shared through the database* and *each
replica its own limiter* (each allows the whole budget, so together three times it).
The least time counts only the windows: 30 sends at the start of each second.

Shared through the database: a replica books its waiting sends in PostgreSQL's
`send_windows` (one row for the bot, one a chat), in rounds of one transaction: the rows
locked in key order, the database's clock read *after* the locks (it was read before
them: a booking that waited for another's lock placed its sends in the past, and they
left late, which is where the 429s at windows × 0.5 came from), each send put at the
earliest moment every window allows, counting every replica's bookings. A round books
only moments within a horizon of two overall windows and one send a chat (the chat's
next one a round later): a replica holds at most two seconds of the budget ahead (what
one that dies wastes), the rows stay short (a booking costs about 0.1 ms of CPU, not
milliseconds over a growing row), and no replica takes the budget the others' chats
need first. A send woken more than half the margin after its moment gives it back and
books again. The windows are the published ones and 5% (the margin, for jitter between
a replica and Telegram); the overall window also keeps sends 1/80 s apart (a burst of
30 leaves within 0.4 s: spread evenly over the second, as before, the last of a burst
of 300 over 30 chats leaves at 10.5 s, 1.16× the least time, by construction; all at
once, they queue in the replicas and the fake and arrive late). Dividing the budget by
the number of live replicas instead would need no database round trips, but wastes a
replica's share whenever the claims are uneven (a replica that claims half the burst
would take 1.5× as long), and the per-chat limits would still need the chats
partitioned among replicas, which reminder claiming does not do.

{table(headers, rows)}

Goal: no 429 and within 10% of the least time, with the limits shared:
{verdict(met)}. Each replica with its own limiter, the fake refused sends (the 429s
column): the problem this solves. Rebooked: sends woken too late for their moment
(a replica waiting for a core), each given back and booked again.
"""
    return text, [goal]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=0.5, help="window length factor")
    parser.add_argument("--quick", action="store_true", help="a smaller burst")
    args = parser.parse_args()
    plan = [(1_200, 120, args.scale), (300, 30, 1.0)]
    if args.quick:
        plan = [(600, 60, args.scale)]
    machine = asyncio.run(describe())
    started = time.monotonic()
    runs = asyncio.run(run(plan))
    write_section(NAME, *report(runs, machine, time.monotonic() - started))


if __name__ == "__main__":
    main()
