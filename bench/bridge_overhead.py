"""Bridge overhead: from a ``/meet`` command's arrival to its reply being
posted, less the time spent waiting on the TrueConf sandbox.

    .venv/bin/python -m bench.bridge_overhead [--commands 30] [--repeats 3]
        [--database postgres|sqlite] [--quick]

``meetbridge serve`` (one process, Slack HTTP mode) gets one signed command at
a time; the fake Slack notes when the reply reaches its response URL and the
sandbox notes how long it took over each request it answered (``bench._peers``:
both on the one monotonic clock this process shares with the bridge). Run
with the sandbox answering at once and after an injected 50 ms, in alternating
blocks, ``--repeats`` times. The bridge's CPU time per command comes from
``/proc/<pid>/stat``.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import statistics
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from bench._bridge import CommandTiming, Rig
from bench._cli import arguments, block_arguments, parse
from bench._machine import describe
from bench._report import Goal, command, ms, table, verdict, write_section
from bench._slack import FRESH_PEOPLE, MENTIONS, fresh_mentions
from bench._stats import Repeated

NAME = "bridge_overhead"
GOAL = 0.005  # seconds, p50
LATENCIES = (0.0, 0.05)
LIST_CHANNEL = "C0LIST"
LIST_MEETINGS = 20
KINDS = {
    "now": "now Overhead check",
    "now, 2 mentions": f"now Overhead check {MENTIONS}",
    "now, 2 new people": "now Overhead check {fresh}",
    "once": "tomorrow 15:00 for 30m Overhead check",
    "weekly": "weekly mon,wed 10:00 for 30m Overhead check",
    "list": "list",
}


@dataclass
class Block:
    kind: str
    latency: float
    timings: list[CommandTiming]
    cpu: float  # bridge CPU seconds spent on the block


def run_block(
    rig: Rig, kind: str, latency: float, count: int, people: Iterator[int] | None = None
) -> Block:
    """``count`` commands of ``kind``; ``{fresh}`` in its text becomes two
    people never mentioned before (numbers from ``people``)."""
    rig.sandbox.state.latency = latency
    channel = LIST_CHANNEL if kind == "list" else "C0BENCH"
    people = people or itertools.count()
    texts = [
        KINDS[kind].format(fresh=fresh_mentions(next(people) * 2 % FRESH_PEOPLE))
        for _ in range(count)
    ]
    before = rig.cpu_seconds()
    timings = [rig.command(text, channel=channel) for text in texts]
    return Block(kind, latency, timings, rig.cpu_seconds() - before)


def phases(t: CommandTiming) -> dict[str, float]:
    """Where one command's time went, in order (seconds). The speaker's
    profile is reused after the warm-up, so no Web API call stands between."""
    calls = sorted(t.trueconf, key=lambda s: s.start)
    out = {"arrival → acknowledged": t.acked - t.sent}
    if calls:
        out["arrival → first TrueConf request"] = calls[0].start - t.sent
        out["last TrueConf answer → reply posted"] = t.replied - calls[-1].end
    else:
        out["arrival → reply posted (no TrueConf request)"] = t.replied - t.sent
    return out


def report(
    blocks: Sequence[Block], args: argparse.Namespace, machine: str, took: float
) -> tuple[str, list[Goal]]:
    rows = []
    met_all = True
    p50s: list[float] = []
    cpus: list[float] = []
    cpu_of: dict[tuple[float, str], float] = {}  # ms by sandbox latency and kind
    for latency in LATENCIES:
        for kind in KINDS:
            mine = [b for b in blocks if b.kind == kind and b.latency == latency]
            reply = Repeated.of([[t.reply_seconds for t in b.timings] for b in mine])
            waited = Repeated.of([[t.trueconf_seconds for t in b.timings] for b in mine])
            over = Repeated.of([[t.overhead for t in b.timings] for b in mine])
            bare = Repeated.of(
                [[t.overhead - t.slack_api_seconds for t in b.timings] for b in mine]
            )
            cpu = sum(b.cpu for b in mine) / sum(len(b.timings) for b in mine)
            requests = statistics.median(len(t.trueconf) for b in mine for t in b.timings)
            met = over.p50 < GOAL
            p50s.append(over.p50)
            cpus.append(cpu)
            cpu_of[(latency, kind)] = cpu * 1000
            met_all &= met
            rows.append(
                [
                    f"{latency * 1000:.0f}",
                    f"`{kind}`",
                    over.n,
                    f"{ms(reply.p50)} / {ms(reply.p99)}",
                    f"{requests:g} · {ms(waited.p50)}",
                    f"**{ms(over.p50)}** / {ms(over.p99)}",
                    f"{ms(over.p50_low)}–{ms(over.p50_high)}",
                    f"{ms(bare.p50)} / {ms(bare.p99)}",
                    f"{cpu * 1000:.1f}",
                    verdict(met),
                ]
            )
    headers = [
        "sandbox latency ms",
        "command",
        "n",
        "arrival → reply p50 / p99 ms",
        "TrueConf requests · wait p50 ms",
        "overhead p50 / p99 ms",
        "run medians ms",
        "overhead less fake Slack API p50 / p99 ms",
        "bridge CPU ms / command",
        "goal p50 < 5 ms",
    ]
    mention_goal, mention_text = mentions_goal(blocks)
    now_blocks = [b for b in blocks if b.kind == "now" and b.latency == 0.0]
    split: dict[str, list[float]] = {}
    for b in now_blocks:
        for t in b.timings:
            for name, seconds in phases(t).items():
                split.setdefault(name, []).append(seconds)
    list_blocks = [b for b in blocks if b.kind == "list" and b.latency == 0.0]
    for b in list_blocks:
        for t in b.timings:
            for name, seconds in phases(t).items():
                split.setdefault(f"`list`: {name}", []).append(seconds)
    split_rows = [[name, ms(statistics.median(v))] for name, v in split.items()]
    cpu_range = f"{min(cpus) * 1000:.0f}–{max(cpus) * 1000:.0f}"
    watch_cpu = cpu_of[(0.0, "now")] - cpu_of[(0.0, "once")]
    p50_range = f"{min(p50s) * 1000:.0f}–{max(p50s) * 1000:.0f}"
    miss = f", by {min(p50s) / GOAL:.0f}–{max(p50s) / GOAL:.0f}×" if not met_all else ""
    goal = Goal(
        "Bridge overhead (arrival → reply posted, less TrueConf time) under 5 ms at p50",
        f"p50 {min(p50s) * 1000:.0f}–{max(p50s) * 1000:.0f} ms by command kind and sandbox"
        f" latency; bridge CPU {min(cpus) * 1000:.0f}–{max(cpus) * 1000:.0f} ms per command",
        met_all,
    )
    text = f"""## 2. Bridge overhead (`bench/bridge_overhead.py`)

`{command(f"bench.{NAME}")}` — {took:.0f} s. {machine}

One `meetbridge serve` process (Slack HTTP mode, {args.database} database) gets one signed
`/meet` command at a time, {args.commands} per block, blocks alternating over the sandbox
latencies and command kinds, {args.repeats} repeats. *Arrival → reply* is from the moment
the request left the sender to the moment the reply reached the fake Slack response
URL (both on the machine's monotonic clock); *overhead* is that less the time the
TrueConf sandbox spent answering the bridge's requests (measured inside the
sandbox, so the bridge's own HTTP client cost counts as overhead). p50 is the median of
the per-run medians (their range beside it), p99 is over all runs. `list` runs in a
channel with {LIST_MEETINGS} meetings; the other commands in a channel that fills up as the run
goes on. The speaker's Slack profile (`users.info`) is fetched once and then reused
for 5 minutes, as in production, so after the warm-up no command waits on the fake
Slack Web API; the column "less fake Slack API" subtracts any such wait that remains.
After every block the bench stops watching the meetings made so far (a running meeting's
live card is polled every 30 s: `live_cards` measures that) and runs `VACUUM ANALYZE`, as
autovacuum would (this machine's PostgreSQL runs without it, and tables never analysed
slow the queue with every command).

{table(headers, rows)}

Goal: under 5 ms at p50: {verdict(met_all)}{miss}.

Why: the overhead is the bridge's own work, nearly all of it CPU: {cpu_range} ms of the
bridge's CPU per command (`serve` and its work process together) against an overhead of
{p50_range} ms at p50 (the rest waits on PostgreSQL and on a free core of this shared
machine). A command now crosses two processes: `serve` verifies it, writes it to the
accepted-commands table and acknowledges (the first phase below); its work process,
woken through a pipe, claims the row (one statement), does the command and posts the
reply, then marks the row done. The core and the store alone (section 2b,
`command_cost`) cost a few ms of CPU and three database round trips for `/meet now`:
the chat's settings and the people's links are one read, the new meeting with its
invitees, first reminders, audit line and live record one statement, and the hot
statements are built once and run as Core on the session's connection. A `now` also
starts watching its running meeting: it is stored running, nobody in, as a poll would
find it, and first polled a poll interval later, so it costs what a `once` does
({watch_cpu:+.0f} ms of CPU; before, its first poll, two `GET`s and their database work,
came while the command was being answered and cost about 12 ms). The rest is the HTTP
side: uvicorn, Starlette and slack-bolt taking and verifying the request in `serve`,
aiohttp posting the reply from the work process, and the event-loop turns between them.
Earlier cuts: the per-checkout connection check, transactions around single statements (the
queue's claim and finish are single
autocommit statements now, built once), a second read of the chat settings, a query per
meeting in `list`, a new TCP connection per Slack call, the profile lookup per command,
half the weekly drift check, a 130 ms garbage-collector pause (section 1), and, under
load, a new PostgreSQL connection for every command (the pool now keeps the ones it opens).

Where the time of `now` and `list` goes (sandbox answering at once; medians):

{table(["phase", "median ms"], split_rows)}
"""
    return text + mention_text, [goal, mention_goal]


def mentions_goal(blocks: Sequence[Block]) -> tuple[Goal, str]:
    """Two people never looked up before, with the sandbox answering after
    its longest latency: the wait beyond a plain ``now`` is one lookup when
    they are asked at once, two when one after the other."""
    latency = max(LATENCIES)

    def wait(kind: str) -> float:
        mine = [b for b in blocks if b.kind == kind and b.latency == latency]
        return statistics.median(t.trueconf_seconds for b in mine for t in b.timings)

    def requests(kind: str) -> float:
        mine = [b for b in blocks if b.kind == kind and b.latency == latency]
        return statistics.median(len(t.trueconf) for b in mine for t in b.timings)

    extra = wait("now, 2 new people") - wait("now")
    met = extra < 1.5 * latency  # one lookup's latency, not two
    result = (
        f"2 new people: {ms(extra, 0)} ms of TrueConf wait beyond `now` with a"
        f" {ms(latency, 0)} ms server ({requests('now, 2 new people'):g} requests);"
        f" the same 2 people again: {requests('now, 2 mentions'):g} request"
    )
    goal = Goal("Mentions cost the slowest lookup, not the sum", result, met)
    text = f"""
Mentions (goal: they cost the slowest lookup, not the sum): with the sandbox answering
after {ms(latency, 0)} ms, a `now` naming two people the bridge has not looked up before
waited on TrueConf {ms(extra, 0)} ms longer than a plain `now` (p50; the two `GET /users`
go out at once, at most 8 of a command in flight; one after the other they cost
{ms(2 * latency, 0)} ms): {verdict(met)}. The same two people mentioned again cost no
lookup ({requests("now, 2 mentions"):g} request, the `POST /conferences`): an e-mail's
answer is reused for 60 s, "nobody has it" for 10 s
(`adapters/trueconf/directory_cache.py` says why that is safe).
"""
    return goal, text


def run(args: argparse.Namespace) -> list[Block]:
    blocks: list[Block] = []
    people = itertools.count()  # each fresh mention once in the whole run
    with Rig(database=args.database) as rig:
        for n in range(LIST_MEETINGS):
            rig.command(f"tomorrow 1{n % 10}:00 for 30m Listed {n}", channel=LIST_CHANNEL)
        for kind in KINDS:  # warm-up: first imports, connections, the token
            run_block(rig, kind, 0.0, 10, people)
        for repeat in range(args.repeats):
            for latency in LATENCIES if repeat % 2 == 0 else LATENCIES[::-1]:
                for kind in KINDS:
                    blocks.append(run_block(rig, kind, latency, args.commands, people))
                    # Each block's cost is its own: the meetings its `now`s made
                    # stop being watched, so later blocks do not pay their polls.
                    rig.end_watches()
                    rig.vacuum()
                    b = blocks[-1]
                    over = statistics.median(t.overhead for t in b.timings)
                    print(
                        f"repeat {repeat} latency {latency * 1000:.0f} ms {kind:16}"
                        f" overhead p50 {ms(over)} ms, CPU {b.cpu / len(b.timings) * 1000:.1f} ms",
                        flush=True,
                    )
    return blocks


def main() -> None:
    parser = arguments(__doc__, quick="10 commands a block, one repeat")
    block_arguments(parser, commands=30)
    parser.add_argument("--database", choices=("postgres", "sqlite"), default="postgres")
    args = parse(parser, commands=10, repeats=1)
    machine = asyncio.run(describe())
    started = time.monotonic()
    blocks = run(args)
    write_section(NAME, *report(blocks, args, machine, time.monotonic() - started))


if __name__ == "__main__":
    main()
