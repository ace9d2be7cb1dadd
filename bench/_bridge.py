"""``meetbridge serve`` in Slack HTTP mode against timed peers, driven one
command at a time: the rig behind the overhead and request-count benchmarks,
and the bridge side of the Slack load test.

    with Rig(database="postgres") as rig:
        timing = rig.command("now Standup")

The bridge runs in its own process (as in production); the TrueConf sandbox
and the fake Slack run in threads of this one (``bench._peers``).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import resource
import signal
import subprocess
import tempfile
import time
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Literal, Self

import httpx
import sqlalchemy as sa

from bench._peers import Span, TimedSandbox, TimedSlack
from bench._pg import scratch_database_sync, vacuum_analyze
from bench._slack import (
    CHANNEL,
    SECRET,
    TOKEN,
    USERS,
    command_body,
    sandbox_users,
    signed_headers,
)
from storage.db import build_engine
from storage.models import AcceptedCommandRow, ScheduledActionRow
from tests.support.serve import ServeProcess

Database = Literal["sqlite", "postgres"]


@dataclass(frozen=True, slots=True)
class CommandTiming:
    """One command: sent (just before the request left), acknowledged (the
    answer read), replied (the reply reached the response URL), and the spans
    of the requests it cost the sandbox and the Slack Web API meanwhile."""

    text: str
    name: str  # of its response URL
    sent: float
    acked: float
    replied: float
    trueconf: tuple[Span, ...]
    slack_api: tuple[Span, ...]

    @property
    def ack_seconds(self) -> float:
        return self.acked - self.sent

    @property
    def reply_seconds(self) -> float:
        return self.replied - self.sent

    @property
    def trueconf_seconds(self) -> float:
        """Time the sandbox had a request of this command in hand: the union of
        its spans (requests made at once overlap; one after the other, it is
        their sum)."""
        return covered(self.trueconf)

    @property
    def slack_api_seconds(self) -> float:
        return sum(s.seconds for s in self.slack_api)

    @property
    def overhead(self) -> float:
        """Arrival to reply posted, less the time the sandbox took to answer."""
        return self.reply_seconds - self.trueconf_seconds


def covered(spans: Sequence[Span]) -> float:
    """Seconds during which at least one of ``spans`` was open."""
    total, reach = 0.0, float("-inf")
    for span in sorted(spans, key=lambda s: s.start):
        start = max(span.start, reach)
        if span.end > start:
            total += span.end - start
        reach = max(reach, span.end)
    return total


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process, from ``/proc/<pid>/stat``."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def database_server_cpu() -> float:
    """CPU seconds so far of this machine's PostgreSQL processes (its backends
    that have ended are not counted: the bridge's pool keeps its own open)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):  # ended meanwhile, or not ours to read
                if (entry / "comm").read_text().strip() == "postgres":
                    total += cpu_seconds(int(entry.name))
    return total


def own_cpu() -> float:
    """CPU seconds so far of this process, every thread: the peers' servers,
    since the benchmark's own thread mostly waits."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


def children(pid: int) -> list[int]:
    """The running child processes of ``pid`` (``serve``'s work process)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(FileNotFoundError):
            found += [int(c) for c in (task / "children").read_text().split()]
    return found


def cpu_by_process(pid: int) -> dict[int, float]:
    """CPU seconds of ``pid`` and of each of its running children, by pid."""
    spent = {pid: cpu_seconds(pid)}
    for child in children(pid):
        with contextlib.suppress(FileNotFoundError):  # ended meanwhile
            spent[child] = cpu_seconds(child)
    return spent


class Rig:
    def __init__(
        self,
        *,
        database: Database = "sqlite",
        latency: float = 0.0,
        settings: dict[str, str] | None = None,
    ) -> None:
        self.database = database
        self._settings = settings or {}  # more of the bridge's settings (environment)
        self.sandbox = TimedSandbox(latency=latency, users=sandbox_users())
        self.slack = TimedSlack(users=USERS)
        self._stack = ExitStack()
        self._ids = itertools.count(1)
        self._http: httpx.Client | None = None
        self._tmp = Path()
        self._env: dict[str, str] = {}
        self.served: ServeProcess | None = None

    def __enter__(self) -> Self:
        try:
            self._start()
        except BaseException:
            self._stack.close()
            raise
        return self

    def _start(self) -> None:
        stack = self._stack
        stack.enter_context(self.sandbox)
        stack.enter_context(self.slack)
        self._tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        self._env = {
            **self.sandbox.env,
            "TRUECONF_OWNER": "admin",
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": self.slack.api_url,
            "REMINDER_DEFAULT_OFFSETS": "off",
            "LOG_LEVEL": "WARNING",
            **self._settings,
        }
        if self.database == "postgres":
            self._env["DATABASE_URL"] = stack.enter_context(scratch_database_sync())
        stack.callback(self._stop_bridge)
        self.restart()
        self._http = stack.enter_context(httpx.Client(timeout=10))

    def restart(self) -> None:
        """A fresh bridge process on the same database and peers (after an
        overload, so the next measurement does not inherit its backlog: the
        commands it had accepted and not finished are dropped from the queue)."""
        self._stop_bridge()
        asyncio.run(self._drop_backlog())
        served = ServeProcess(env=self._env, cwd=self._tmp)
        served.start()
        self.served = served

    @property
    def database_url(self) -> str:
        return self._env.get("DATABASE_URL") or f"sqlite+aiosqlite:///{self._tmp / 'serve.db'}"

    def end_watches(self) -> None:
        """Stop watching the meetings made so far (their live rows dropped, as
        if they had ended), so the next measurement does not also poll every
        meeting the ones before it made."""
        asyncio.run(self._end_watches())

    async def _end_watches(self) -> None:
        engine = build_engine(self.database_url)
        try:
            async with engine.begin() as conn:
                await conn.execute(
                    sa.delete(ScheduledActionRow).where(
                        ScheduledActionRow.kind == "live",
                        ScheduledActionRow.status.in_(("pending", "sending")),
                    )
                )
        finally:
            await engine.dispose()

    def vacuum(self) -> None:
        """PostgreSQL: what autovacuum does between measurements (statistics
        and dead rows). This machine's server runs with autovacuum off, so
        without it the planner never learns that a table grew and, on a table
        never analysed, the queue's statements scan every row ever written:
        the bridge slowed with each repeat. Production runs autovacuum (the
        default; ``doctor`` warns when it is off)."""
        if self.database == "postgres":
            asyncio.run(vacuum_analyze(self.database_url))

    async def _drop_backlog(self) -> None:
        engine = build_engine(self.database_url)
        try:
            async with engine.begin() as conn:
                if await conn.run_sync(lambda c: sa.inspect(c).has_table("accepted_commands")):
                    await conn.execute(
                        sa.delete(AcceptedCommandRow).where(
                            AcceptedCommandRow.status.in_(("accepted", "working"))
                        )
                    )
        finally:
            await engine.dispose()

    def _stop_bridge(self) -> None:
        if self.served is not None:
            workers = children(self.pid) if self.served.process is not None else []
            # Killed after 5 s: an overloaded bridge need not finish its backlog,
            # and neither need its work process.
            with contextlib.suppress(subprocess.TimeoutExpired, TimeoutError):
                self.served.stop(timeout=5)
            for pid in workers:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            self.served = None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stack.close()

    @property
    def events_url(self) -> str:
        assert self.served is not None
        return self.served.url("/slack/events")

    @property
    def pid(self) -> int:
        assert self.served is not None
        assert self.served.process is not None
        return self.served.process.pid

    def reply_text(self, timing: CommandTiming) -> str:
        """The plain text of the command's first reply (to its response URL,
        else the card the bridge last posted in the channel)."""
        answered = self.slack.responses(timing.name)
        if answered:
            return str(answered[0].get("text", ""))
        posted = self.slack.calls("chat.postMessage")
        return str(posted[-1].params.get("text", "")) if posted else ""

    def cpu_seconds(self) -> float:
        """User and system CPU the bridge has used so far: ``serve`` and its
        work process together."""
        return sum(cpu_by_process(self.pid).values())

    def cpu_split(self) -> tuple[float, float]:
        """CPU seconds so far of ``serve`` itself (the acknowledgements) and of
        its work process (the commands' work)."""
        spent = cpu_by_process(self.pid)
        own = spent.pop(self.pid)
        return own, sum(spent.values())

    def command(self, text: str, *, channel: str = CHANNEL, timeout: float = 10.0) -> CommandTiming:
        """Send ``/meet <text>``, wait for its acknowledgement and first reply."""
        assert self._http is not None
        name = f"cmd{next(self._ids)}"
        trigger = f"bench.{name}.{time.time_ns()}"
        body = command_body(text, trigger, self.slack.response_url(name), channel=channel)
        headers = signed_headers(SECRET, body)
        sent = time.monotonic()
        answer = self._http.post(self.events_url, content=body, headers=headers)
        acked = time.monotonic()
        if answer.status_code != 200:
            raise RuntimeError(f"/meet {text}: {answer.status_code} {answer.text[:200]}")
        # The reply reaches the response URL, or (a meeting's card, which the
        # bridge keeps up to date) the channel through chat.postMessage.
        paths = (f"/response/{name}", "/api/chat.postMessage")
        reply = self.slack.spans.wait_next(paths, sent, timeout)
        if reply is None:
            raise TimeoutError(f"/meet {text}: no reply within {timeout} s")
        return CommandTiming(
            text=text,
            name=name,
            sent=sent,
            acked=acked,
            replied=reply.start,
            trueconf=tuple(self.sandbox.spans.between(sent, reply.start)),
            slack_api=tuple(self.slack.spans.between(sent, reply.start, "/api/")),
        )
