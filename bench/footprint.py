"""Footprint of ``meetbridge serve``: start-up time to ``/readyz`` green, and
resident memory once idle.

    .venv/bin/python -m bench.footprint [--starts 4] [--idle 2] [--quick]

Each configuration is started ``--starts`` times on one database: the first
start creates the schema (migrations), the others find it in place, as a
restart does. Start-up is from spawning the process to the first 200 from
``/readyz`` (``/healthz`` where this build has no ``/readyz`` yet: the
section says which); then the process idles ``--idle`` seconds and its
``VmRSS`` (and peak ``VmHWM``) is read from ``/proc/<pid>/status``. The
TrueConf sandbox, fake Slack and fake Telegram Bot API run in this process.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench._cli import arguments, parse
from bench._machine import describe
from bench._peers import TimedSandbox
from bench._pg import scratch_database_sync
from bench._report import Goal, command, table, write_section
from bench._slack import SECRET, TOKEN, USERS
from tests.support.fake_slack import FakeSlack
from tests.support.serve import ServeProcess
from tests.support.telegram_api import FakeTelegram, FakeTelegramServer

NAME = "footprint"
READY_TIMEOUT = 60.0


@dataclass(frozen=True)
class Start:
    seconds: float  # spawn → ready answered 200
    rss_mb: float
    hwm_mb: float


@dataclass(frozen=True)
class Config:
    name: str
    database: str  # "sqlite" or "postgres"
    telegram: bool


CONFIGS = [
    Config("Slack (HTTP), SQLite", "sqlite", telegram=False),
    Config("Slack (HTTP) + Telegram (webhook), PostgreSQL", "postgres", telegram=True),
]


def memory_mb(pid: int) -> tuple[float, float]:
    """``VmRSS`` and ``VmHWM`` of a process, in MiB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) / 1024
    return fields["VmRSS"], fields["VmHWM"]


def ready_path(served: ServeProcess) -> str:
    """``/readyz`` when this build serves it, else ``/healthz``."""
    answer = httpx.get(served.url("/readyz"), timeout=5)
    return "/healthz" if answer.status_code == 404 else "/readyz"


def wait_ready(served: ServeProcess, path: str, started: float) -> float:
    deadline = started + READY_TIMEOUT
    while time.monotonic() < deadline:
        try:
            if httpx.get(served.url(path), timeout=1).status_code == 200:
                return time.monotonic() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.005)
    raise TimeoutError(f"{path} not green within {READY_TIMEOUT} s")


@contextmanager
def environment(config: Config) -> Iterator[tuple[dict[str, str], Path]]:
    with ExitStack() as stack:
        sandbox = stack.enter_context(TimedSandbox())
        slack = stack.enter_context(FakeSlack(users=USERS))
        env = {
            **sandbox.env,
            "TRUECONF_OWNER": "admin",
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": slack.api_url,
            "LOG_LEVEL": "WARNING",
        }
        if config.telegram:
            telegram = stack.enter_context(FakeTelegramServer(FakeTelegram()))
            env |= {
                "TELEGRAM_BOT_TOKEN": telegram.state.token,
                "TELEGRAM_ALLOWED_CHATS": "*",
                "TELEGRAM_WEBHOOK_SECRET": "bench-webhook-secret",
                "TELEGRAM_API_URL": telegram.url,
            }
        if config.database == "postgres":
            env["DATABASE_URL"] = stack.enter_context(scratch_database_sync())
        yield env, Path(stack.enter_context(tempfile.TemporaryDirectory()))


def measure(config: Config, starts: int, idle: float) -> tuple[list[Start], str]:
    results: list[Start] = []
    path = ""
    with environment(config) as (env, cwd):
        for _ in range(starts):
            served = ServeProcess(env=env, cwd=cwd, ready_timeout=READY_TIMEOUT)
            started = time.monotonic()
            served.start()  # returns once /healthz answers: ready is never earlier
            try:
                path = path or ready_path(served)
                seconds = wait_ready(served, path, started)
                time.sleep(idle)
                assert served.process is not None
                rss, hwm = memory_mb(served.process.pid)
            finally:
                served.stop()
            results.append(Start(seconds, rss, hwm))
            print(f"{config.name}: ready in {seconds:.2f} s, idle RSS {rss:.0f} MB", flush=True)
    return results, path


def report(
    measured: list[tuple[Config, list[Start], str]],
    args: argparse.Namespace,
    machine: str,
    took: float,
) -> tuple[str, list[Goal]]:
    rows = []
    paths = set()
    results = []
    for config, starts, path in measured:
        paths.add(path)
        first, rest = starts[0], starts[1:] or starts
        results.append(
            f"{config.name}: {statistics.median(s.seconds for s in rest):.1f} s,"
            f" {statistics.median(s.rss_mb for s in starts):.0f} MB"
        )
        rows.append(
            [
                config.name,
                f"{first.seconds:.2f}",
                f"{statistics.median(s.seconds for s in rest):.2f}"
                f" ({min(s.seconds for s in rest):.2f}–{max(s.seconds for s in rest):.2f})",
                f"{statistics.median(s.rss_mb for s in starts):.0f}",
                f"{max(s.hwm_mb for s in starts):.0f}",
            ]
        )
    used = " and ".join(f"`{p}`" for p in sorted(paths))
    note = (
        "This build has no `/readyz` yet (it answered 404), so start-up was timed to `/healthz`,"
        " which answers once every component has started (uvicorn serves only after the"
        " application's start-up); with `/readyz` merged the same command times `/readyz`."
        if paths == {"/healthz"}
        else f"Timed to {used}."
    )
    headers = [
        "configuration",
        "first start s (creates the schema)",
        f"restart s, median of {args.starts - 1} (range)",
        f"idle RSS MB (after {args.idle:g} s)",
        "peak RSS MB",
    ]
    goal = Goal(
        f"Start-up of `meetbridge serve` to {used} green, and idle resident memory",
        "; ".join(results),
        None,
    )
    text = f"""## 5. Footprint (`bench/footprint.py`)

`{command(f"bench.{NAME}")}` — {took:.0f} s. {machine}

`meetbridge serve` started {args.starts} times per configuration against the TrueConf
sandbox and the fake Slack and Bot API (served by the benchmark's process), from
spawning the process to the first 200 from {used}; then idle for {args.idle:g} s, when
its resident memory is read from `/proc/<pid>/status`.
{note}

{table(headers, rows)}

No goal is set for these; they are the baseline later changes are compared with.
"""
    return text, [goal]


def main() -> None:
    parser = arguments(__doc__, quick="two starts each")
    parser.add_argument("--starts", type=int, default=4, help="starts per configuration")
    parser.add_argument("--idle", type=float, default=2.0, help="seconds idle before reading RSS")
    args = parse(parser, starts=2)
    machine = asyncio.run(describe())
    started = time.monotonic()
    measured = [(c, *measure(c, args.starts, args.idle)) for c in CONFIGS]
    write_section(NAME, *report(measured, args, machine, time.monotonic() - started))


if __name__ == "__main__":
    main()
