"""Three ``meetbridge serve`` replicas on one PostgreSQL database, as in
production behind a load balancer: one TrueConf sandbox, one fake Slack and
one fake Telegram for all three, Slack commands and Telegram updates sent to
each replica in turn, and one of each delivered twice to two replicas at once
(the retry Slack and Telegram make after a timeout). No conference is made
twice, every reminder is delivered exactly once, ``/readyz`` is green on all
three at the start and at the end.

The replicas run on the real clock and reminders fall on whole minutes, so
every meeting starts at the same minute, computed from now, and has the
1-minute reminder (``REMINDER_DEFAULT_OFFSETS``): it comes due some 25 to 85
seconds after the commands are sent.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import httpx
import pytest
from sqlalchemy import select

from adapters.telegram.webhook import PATH as WEBHOOK_PATH
from adapters.telegram.webhook import SECRET_HEADER
from adapters.trueconf.sandbox import SandboxServer
from storage.db import build_engine
from storage.models import MeetingRow, ScheduledActionRow
from tests.e2e.slack.support import SlackWorld, assert_clean_log, serve_settings
from tests.support.fake_slack import FakeSlack, slack_user
from tests.support.serve import ServeProcess, wait_until
from tests.support.telegram_api import FakeTelegram, FakeTelegramServer, message_update, person

pytestmark = [pytest.mark.postgres, pytest.mark.timeout(180)]

REPLICAS = 3
SECRET = "replicas-webhook-secret"
# Time to send every command and have its reminder planned before it is due.
MARGIN = timedelta(seconds=25)
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEPENDENCIES = {"backend:trueconf", "slack", "telegram"}
# What a replica logs when it drops a delivery another replica already took.
SKIPPED = {
    "slack": "skipped a repeated Slack delivery",
    "telegram": "was already handled; skipped",
}
CAROL = slack_user("UCAROL", "carol", email="carol@example.com", tz="UTC")
ALICE = person(601, "alice")


@dataclass(frozen=True)
class Command:
    """One ``/meet`` that creates a meeting, and how many replicas receive it."""

    platform: Literal["slack", "telegram"]
    chat: str  # a Slack channel, or a Telegram chat id
    text: str  # after ``/meet``
    topic: str
    weekly: bool = False
    deliveries: int = 1

    @property
    def name(self) -> str:
        """A name for its Slack response URL."""
        return self.topic.replace(" ", "-").lower()


def commands_for(start: datetime) -> list[Command]:
    """Slack and Telegram interleaved; the last of each is delivered twice."""
    when = f"{start:%Y-%m-%d %H:%M}"
    weekly = f"{DAYS[start.weekday()]} {start:%H:%M}"
    return [
        Command("slack", "C0REPLICA1", f"once {when} for 30m Planning s1", "Planning s1"),
        Command("telegram", "-3001", f"once {when} for 30m Planning t1", "Planning t1"),
        Command("slack", "C0REPLICA2", f"weekly {weekly} for 15m Standup s2", "Standup s2", True),
        Command("telegram", "-3002", f"weekly {weekly} for 15m Standup t2", "Standup t2", True),
        Command("slack", "C0REPLICA1", f"once {when} for 45m Review s3", "Review s3"),
        Command("telegram", "-3001", f"once {when} Review t3", "Review t3"),
        Command("slack", "C0REPLICA2", f"once {when} Incident s4", "Incident s4", deliveries=2),
        Command("telegram", "-3002", f"once {when} Incident t4", "Incident t4", deliveries=2),
    ]


def reminder_minute(now: datetime) -> datetime:
    """The first whole minute at least ``MARGIN`` from now."""
    return (now + MARGIN + timedelta(minutes=1)).replace(second=0, microsecond=0)


def _stopped(process: ServeProcess) -> TimeoutError | None:
    try:
        process.stop()
    except TimeoutError as exc:
        return exc
    return None


def assert_ready(served: ServeProcess) -> None:
    """Ready, and every dependency up (the messengers connect in the background)."""

    def all_up() -> bool:
        answer = httpx.get(served.url("/readyz"), timeout=10)
        # /readyz says ready or not; each dependency's last check is in /metrics.
        metrics = httpx.get(served.url("/metrics"), timeout=10).text
        up = {f'meetbridge_dependency_up{{name="{name}"}} 1.0' for name in DEPENDENCIES}
        return answer.status_code == 200 and up <= set(metrics.splitlines())

    wait_until(all_up, timeout=30, what=f"{served.url('/readyz')} with every dependency up")


# ---- the database, read as the replicas left it --------------------------------


async def _read(url: str, query: Any) -> list[Any]:
    engine = build_engine(url)
    try:
        async with engine.connect() as connection:
            return list(await connection.execute(query))
    finally:
        await engine.dispose()


def meeting_topics(url: str) -> Counter[str]:
    return Counter(topic for (topic,) in asyncio.run(_read(url, select(MeetingRow.topic))))


def reminder_ledger(url: str) -> dict[str, list[tuple[datetime, str]]]:
    """Each meeting's reminder rows: (occurrence start, status), oldest first."""
    query = (
        select(MeetingRow.topic, ScheduledActionRow.occurrence_start, ScheduledActionRow.status)
        .join(MeetingRow, MeetingRow.id == ScheduledActionRow.meeting_id)
        .where(ScheduledActionRow.kind == "remind")
    )
    ledger: dict[str, list[tuple[datetime, str]]] = {}
    for topic, occurrence, status in asyncio.run(_read(url, query)):
        ledger.setdefault(topic, []).append((occurrence, status))
    return {topic: sorted(rows) for topic, rows in ledger.items()}


# ---- the world: fakes, sandbox, replicas ---------------------------------------


@dataclass
class World:
    slack: FakeSlack
    telegram: FakeTelegramServer
    sandbox: SandboxServer
    replicas: list[SlackWorld]

    def send(self, command: Command, targets: list[SlackWorld]) -> None:
        """Deliver ``command`` to every target at once, as a retry racing the first try."""
        post = self._slack_post(command) if command.platform == "slack" else self._webhook(command)
        with ThreadPoolExecutor(len(targets)) as pool:
            answers = list(pool.map(post, targets))
        assert [a.status_code for a in answers] == [200] * len(targets)

    def _slack_post(self, command: Command) -> Callable[[SlackWorld], httpx.Response]:
        """One signed command body (one trigger_id), postable to any replica."""
        body, _ = self.replicas[0].command_body(
            command.text, user=CAROL["id"], channel=command.chat, response=command.name
        )
        return lambda replica: replica.post(body)[0]

    def _webhook(self, command: Command) -> Callable[[SlackWorld], httpx.Response]:
        """One Telegram update (one update_id), postable to any replica's webhook."""
        update = message_update(f"/meet {command.text}", chat_id=int(command.chat), sender=ALICE)
        update["update_id"] = self.telegram.state.next_update_id()
        headers = {SECRET_HEADER: SECRET}
        return lambda replica: httpx.post(
            replica.served.url(WEBHOOK_PATH), json=update, headers=headers, timeout=10
        )

    def cards(self, command: Command) -> list[str]:
        """The answers to ``command`` in its chat (reminders aside)."""
        if command.platform == "slack":
            return [r["text"] for r in self.slack.responses(command.name)]
        return [
            c.text
            for c in self.telegram.state.sent(int(command.chat))
            if command.topic in c.text and not c.text.startswith("Reminder")
        ]

    def reminders(self, command: Command) -> list[str]:
        """The reminders of ``command``'s meeting that reached its chat."""
        if command.platform == "slack":
            texts = [
                c.params["text"]
                for c in self.slack.calls("chat.postMessage")
                if c.params["channel"] == command.chat
            ]
        else:
            texts = [c.text for c in self.telegram.state.sent(int(command.chat))]
        return [t for t in texts if t.startswith("Reminder: #") and command.topic in t]

    def skipped(self, platform: str) -> int:
        """Deliveries from ``platform`` the replicas dropped as repeats."""
        return sum(replica.served.log.count(SKIPPED[platform]) for replica in self.replicas)

    def handled(self, command: Command) -> bool:
        """Every delivery of ``command`` was either answered or dropped as a repeat
        (one repeated command per platform, so the drops are its own)."""
        dropped = self.skipped(command.platform) if command.deliveries > 1 else 0
        return len(self.cards(command)) + dropped >= command.deliveries


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(server_zone="Europe/Moscow") as server:
        yield server


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack(users=[CAROL]) as fake:
        yield fake


@pytest.fixture
def telegram() -> Iterator[FakeTelegramServer]:
    with FakeTelegramServer(FakeTelegram(scale=0.05)) as server:
        yield server


@pytest.fixture
def world(
    database_url: str,
    sandbox: SandboxServer,
    slack: FakeSlack,
    telegram: FakeTelegramServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[World]:
    """Three replicas started at once (their migrations race, as in a rollout)."""
    env = serve_settings(
        slack,
        sandbox,
        DATABASE_URL=database_url,
        TRUECONF_TIMEOUT_SECONDS="10",  # three processes on a small machine
        TELEGRAM_BOT_TOKEN=telegram.state.token,
        TELEGRAM_ALLOWED_CHATS="*",
        TELEGRAM_WEBHOOK_SECRET=SECRET,
        TELEGRAM_API_URL=telegram.url,
        REMINDER_DEFAULT_OFFSETS="1m",
    )
    processes = [
        ServeProcess(env=env, cwd=tmp_path_factory.mktemp(f"replica{n}"), ready_timeout=90)
        for n in range(REPLICAS)
    ]
    try:
        with ThreadPoolExecutor(REPLICAS) as pool:
            list(pool.map(ServeProcess.start, processes))
        yield World(slack, telegram, sandbox, [SlackWorld(p, slack, sandbox) for p in processes])
    finally:
        # Every replica is stopped (killed past its deadline) before any error is raised.
        stopped = [_stopped(process) for process in processes]
        for error in stopped:
            if error is not None:
                raise error
    for process in processes:
        assert_clean_log(process, sandbox)
        assert telegram.state.token not in process.log
        assert SECRET not in process.log


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_three_replicas_make_each_conference_once_and_send_each_reminder_once(
    world: World, database_url: str
) -> None:
    replicas = [r.served for r in world.replicas]
    for served in replicas:
        assert_ready(served)

    remind_at = reminder_minute(datetime.now(UTC))
    start = remind_at + timedelta(minutes=1)
    commands = commands_for(start)
    turn = itertools.cycle(world.replicas)
    for command in commands:
        world.send(command, [next(turn) for _ in range(command.deliveries)])
    for command in commands:
        wait_until(
            functools.partial(world.handled, command),
            timeout=30,
            what=f"every delivery of {command.topic} handled",
        )
    # Each reminder was planned (a command handled after its minute would plan none).
    planned = reminder_ledger(database_url)
    assert {topic: rows[0][0] for topic, rows in planned.items()} == {
        c.topic: start for c in commands
    }

    wait_until(
        lambda: all(world.reminders(c) for c in commands),
        timeout=(remind_at - datetime.now(UTC)).total_seconds() + 60,
        what="every reminder in its chat",
    )
    wait_until(
        lambda: all(rows[0][1] == "sent" for rows in reminder_ledger(database_url).values()),
        timeout=30,
        what="every due reminder marked sent",
    )
    for served in replicas:
        assert_ready(served)
    for served in replicas:
        assert served.stop() == 0  # nothing is in flight any more: the counts are final

    topics = Counter(c.topic for c in commands)
    conferences = [
        world.sandbox.state.raw_conference(i) for i in world.sandbox.state.conference_ids()
    ]
    assert Counter(c["topic"] for c in conferences if c is not None) == topics
    assert meeting_topics(database_url) == topics
    assert {c.topic: len(world.cards(c)) for c in commands} == dict.fromkeys(topics, 1)
    assert {p: world.skipped(p) for p in SKIPPED} == dict.fromkeys(SKIPPED, 1)
    assert {c.topic: len(world.reminders(c)) for c in commands} == dict.fromkeys(topics, 1)
    week = timedelta(days=7)
    assert reminder_ledger(database_url) == {
        c.topic: [(start, "sent"), *([(start + week, "pending")] if c.weekly else [])]
        for c in commands
    }
