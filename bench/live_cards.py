"""Live cards: what watching a running meeting costs, and how well one
process watches a thousand.

    .venv/bin/python -m bench.live_cards [--meetings 1000] [--seconds 90] [--quick]

Part one, in memory with a frozen clock (the production poller, fakes for
the server and the messenger): one hour of a meeting whose people come and
go on a fixed script, watched at several LIVE_POLL_SECONDS. Reported: the
server's API calls per running meeting per hour (TrueConf: the conference,
and who is in while it runs), the card edits, and the changes no card
showed, against the least that shows every change (one edit per visible
change; two calls per change if the bridge knew when each happened).

Part two, on PostgreSQL: ``--meetings`` meetings running at once, each with
its ``live`` row, watched by one dispatcher (the production ``Dispatcher``,
``SqlClaimStore`` and poller) at the default LIVE_POLL_SECONDS=30 against an
in-process server that answers at once, people changing in a tenth of the
meetings each round. Reported: poll lag (from when a poll was due to when it
asked the server; p50, p99, max), polls per second, edits, and the process's
CPU share (its CPU time over the wall time) during the steady part. The
admin URL comes from ``BENCH_POSTGRES_URL``.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select, update

from adapters.reminders import Dispatcher, DispatcherConfig
from bench._machine import describe
from bench._pg import scratch_database
from bench._report import Goal, command, table, write_section
from bench._stats import Summary
from bot.chat import ChatRef, Platform, UserRef
from bot.clock import FrozenClock, SystemClock
from bot.commands import CommandInput
from bot.live.model import Activity, CallLog, LiveConfig, LiveView, Participant, Recording
from bot.live.poller import LivePoller
from bot.messengers import Messengers
from bot.ports import ChatSettings
from bot.reminders.delivery import ActionPerformer, DeliveryPolicy
from bot.reply import Capabilities, Reply
from bot.service import CommandService
from storage.claims import SqlClaimStore
from storage.db import build_engine, build_session_factory
from storage.migrate import upgrade
from storage.models import LiveCardRow, MeetingRow, ScheduledActionRow
from storage.uow import SqlUnitOfWorkFactory
from tests.fakes import FakeBackend, fake_deps
from tests.support.reminders import CHAT, core_deps, messengers_with, seed

NAME = "live_cards"
START = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
PEOPLE = [Participant(n) for n in ("Alice", "Bob", "Carol", "Dave", "Erin", "Frank")]
# (minute, who, in?) over one hour; a guest stays 40 seconds between two polls.
SCRIPT: list[tuple[float, int, bool]] = [
    (0.5, 0, True),
    (2, 1, True),
    (3, 2, True),
    (10, 3, True),
    (17.2, 4, True),
    (17.9, 4, False),  # in and out within a minute
    (25, 5, True),
    (30, 1, False),
    (45, 2, False),
    (55, 3, False),
]
MEETING_MINUTES = 60


@dataclass
class ScriptedServer:
    """TrueConf as the poller sees it: one request for the conference, one
    more for who is in while it runs."""

    clock: FrozenClock
    requests: int = 0

    def inside(self, at: datetime) -> tuple[Participant, ...]:
        minute = (at - START).total_seconds() / 60
        present = {who: joined for when, who, joined in SCRIPT if when <= minute}
        return tuple(PEOPLE[w] for w, here in sorted(present.items()) if here)

    async def present(self, conference_id: str) -> Activity:
        now = self.clock.now()
        running = START <= now < START + timedelta(minutes=MEETING_MINUTES)
        self.requests += 2 if running else 1
        return Activity(running, self.inside(now) if running else ())

    async def calls(self, conference_id: str, since: datetime) -> Sequence[CallLog]:
        self.requests += 2  # the call list, and one session's participants
        return []

    async def recordings(self, conference_id: str) -> Sequence[Recording]:
        self.requests += 1
        return []


@dataclass
class CountingMessenger:
    edits: int = 0
    sent: int = 0

    @property
    def platform(self) -> Platform:
        return "console"

    deliverable = True  # any process posts through it

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(buttons=True, edits=True)

    async def send(self, chat: ChatRef, reply: Reply) -> None:
        self.sent += 1

    async def edit(self, chat: ChatRef, message_id: str, reply: Reply) -> None:
        self.edits += 1


def visible_changes() -> int:
    """What a card must show to show everything: the start, each change of
    who is in, the end."""
    views = {tuple(p.name for p in ScriptedServer(FrozenClock(START)).inside(START))}
    last = views.pop()
    changes = 1  # running
    for when, _, _ in SCRIPT:
        now = ScriptedServer(FrozenClock(START)).inside(START + timedelta(minutes=when))
        names = tuple(p.name for p in now)
        if names != last:
            changes += 1
            last = names
    return changes + 1  # ended


async def one_hour(poll_seconds: int) -> tuple[int, int, int]:
    """API requests, card edits and summaries of one watched hour."""
    clock = FrozenClock(START - timedelta(minutes=2))
    server = ScriptedServer(clock)
    backend = FakeBackend("trueconf")
    backend.activity = server
    deps = replace(
        fake_deps(backend, [], clock.now()), live=LiveConfig(poll=timedelta(seconds=poll_seconds))
    )
    deps = replace(deps, clock=clock)
    chat = ChatRef("console", "local", "room")
    user = UserRef("console", "local", "helen", "helen")
    reply = await CommandService(deps).handle(
        CommandInput(text="tomorrow 09:00 for 1h Bench", chat=chat, user=user),
        Capabilities(buttons=True, edits=True),
    )
    assert reply.card_of is not None, reply.plain_text()
    async with deps.uow() as uow:
        await uow.live.set_card(reply.card_of, "m1")
        await uow.commit()
        meeting = await uow.meetings.get(reply.card_of)
    assert meeting is not None
    messenger = CountingMessenger()
    messengers = Messengers()
    messengers.register(messenger)
    poller = LivePoller(deps, messengers)
    server.requests = 0
    next_at: datetime | None = clock.now()
    while next_at is not None:
        clock.set(next_at)
        watch = await poller.poll(meeting, START, ChatSettings(), clock.now())
        next_at = watch.next_at
    return server.requests, messenger.edits, messenger.sent


@dataclass
class FleetServer:
    """A thousand running conferences answering at once; people change in a
    tenth of them every round. Keeps when each was asked."""

    poll: float
    asked: dict[str, float] = field(default_factory=dict)
    lags: list[float] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    first_due: dict[str, float] = field(default_factory=dict)
    rng: random.Random = field(default_factory=lambda: random.Random(7))  # noqa: S311 (a script)

    async def present(self, conference_id: str) -> Activity:
        now = time.time()
        due = self.asked.get(conference_id)
        expected = due + self.poll if due is not None else self.first_due.get(conference_id, now)
        self.lags.append(max(0.0, now - expected))
        self.asked[conference_id] = now
        if self.rng.random() < 0.1:
            self.counts[conference_id] = self.rng.randint(0, 5)
        count = self.counts.get(conference_id, 1)
        return Activity(True, tuple(PEOPLE[:count]))

    async def calls(self, conference_id: str, since: datetime) -> Sequence[CallLog]:
        return []

    async def recordings(self, conference_id: str) -> Sequence[Recording]:
        return []


async def fleet(meetings: int, seconds: float, poll: float) -> dict[str, object]:
    async with scratch_database("meetbridge_bench_live") as url:
        await upgrade(url)
        engine = build_engine(url)
        try:
            sessions = build_session_factory(engine)
            now = datetime.now(UTC)
            # Due evenly over the first interval: the steady state from the start.
            due = [now + timedelta(seconds=poll * n / meetings) for n in range(meetings)]
            await seed(sessions, due, now=now, offset=timedelta(0))
            async with sessions() as session:
                await session.execute(update(ScheduledActionRow).values(kind="live"))
                ids = (await session.execute(select(MeetingRow.id))).scalars().all()
                # Each with its card posted, showing one person in.
                shown = LiveView.running((PEOPLE[0],)).encode()
                await session.execute(
                    insert(LiveCardRow),
                    [
                        {
                            "meeting_id": i,
                            "chat_key": CHAT.key,
                            "message_id": f"m{i}",
                            "shown": shown,
                            "phase": "running",
                            "seen": [],
                        }
                        for i in ids
                    ],
                )
                await session.commit()
            server = FleetServer(poll)
            server.first_due = {f"c{n}": due[n].timestamp() for n in range(meetings)}
            clock = SystemClock()
            backend = FakeBackend("trueconf")
            backend.activity = server
            deps = replace(
                core_deps(SqlUnitOfWorkFactory(sessions, clock=clock), clock),
                backends={"trueconf": backend},
                live=LiveConfig(poll=timedelta(seconds=poll)),
            )
            messenger = CountingMessenger()
            performer = ActionPerformer(deps, messengers_with(messenger), DeliveryPolicy())
            dispatcher = Dispatcher(SqlClaimStore(sessions), performer, clock, DispatcherConfig())
            await dispatcher.start()
            try:
                await asyncio.sleep(poll)  # the first round: every meeting's first poll
                steady_lags = len(server.lags)
                cpu, wall = time.process_time(), time.monotonic()
                await asyncio.sleep(seconds - poll)
                cpu, wall = time.process_time() - cpu, time.monotonic() - wall
            finally:
                await dispatcher.stop()
            lags = server.lags[steady_lags:]
            return {
                "lag": Summary.of(lags),
                "polls_per_second": len(lags) / wall,
                "cpu_share": cpu / wall,
                "edits": messenger.edits,
                "steady_seconds": wall,
            }
        finally:
            await engine.dispose()


async def main(argv: Sequence[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench.live_cards")
    parser.add_argument("--meetings", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--poll", type=float, default=30.0)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    if args.quick:
        args.meetings, args.seconds, args.poll = 100, 20.0, 5.0
    least = visible_changes()
    rows = []
    for poll in (10, 30, 60):
        requests, edits, summaries = await one_hour(poll)
        rows.append(
            [
                poll,
                requests,
                f"{requests / (2 * least):.1f}×",
                edits,
                f"{edits / least:.2f}",
                least - edits,
                summaries,
            ]
        )
    part_one = table(
        [
            "LIVE_POLL_SECONDS",
            "API requests in the hour",
            "vs least (2 per change)",
            "card edits",
            "edits / visible changes",
            "changes not shown",
            "summary + notes",
        ],
        rows,
    )
    result = await fleet(args.meetings, args.seconds, args.poll)
    lag = result["lag"]
    assert isinstance(lag, Summary)
    cpu_share = float(str(result["cpu_share"]))
    part_two = table(
        [
            "meetings",
            "poll every",
            "polls/s",
            "lag p50",
            "lag p99",
            "lag max",
            "CPU share",
            "edits",
        ],
        [
            [
                args.meetings,
                f"{args.poll:.0f} s",
                f"{float(str(result['polls_per_second'])):.1f}",
                f"{lag.p50 * 1000:.0f} ms",
                f"{lag.p99 * 1000:.0f} ms",
                f"{lag.max * 1000:.0f} ms",
                f"{cpu_share * 100:.1f} %",
                result["edits"],
            ]
        ],
    )
    machine = await describe()
    text = f"""## live_cards

`{command("bench." + NAME, argv)}` on {machine}.

**What one watched meeting costs.** One hour, {len(PEOPLE)} people coming and
going on a fixed script ({least} visible changes: the start, each change of
who is in, the end; one guest stays 40 s between two polls), watched from two
minutes before the start. TrueConf costs one request a poll before the start
and two while it runs (the conference, who is in); the end adds three (call
list, one session's participants, records) for the summary. The least that
shows every change is one edit per visible change, and two requests per
change if the bridge knew when each happened.

{part_one}

Edits never exceed the visible changes (a card is edited only when what it
shows changed); a change shorter than the interval can go unseen, which is
the price of the interval.

**A thousand at once on one process.** {args.meetings} meetings running, one
dispatcher process on PostgreSQL, polls due evenly over the interval; lag is
from when a poll was due to when it asked the server, over the steady part
({float(str(result["steady_seconds"])):.0f} s after the first round). CPU
share is this process's CPU time over wall time (PostgreSQL's own work
aside).

{part_two}
"""
    goals = [
        Goal(
            "card edits per meeting ≤ visible changes (LIVE_POLL_SECONDS=30)",
            f"{rows[1][3]} edits for {least} changes",
            int(rows[1][3]) <= least,
        ),
        Goal(
            f"{args.meetings} running meetings on one process: poll lag p99 < 5 s",
            f"p99 {lag.p99 * 1000:.0f} ms, CPU {cpu_share * 100:.1f} %",
            lag.p99 < 5.0,
        ),
    ]
    write_section(NAME, text, goals)
    print(text)


if __name__ == "__main__":
    import sys

    asyncio.run(main(sys.argv[1:]))
