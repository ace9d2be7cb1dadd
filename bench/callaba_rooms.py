"""Latency of each Callaba room call through the bridge's client on loopback,
against the Callaba sandbox (so it measures the bridge's side: httpx, JSON,
error mapping, and the sandbox's own handling).

    .venv/bin/python -m bench.callaba_rooms [--rooms 300] [--quick]

Creates ``--rooms`` scheduled rooms, reads each, switches each on, and removes
each, one call at a time; reports median and p99 per call in milliseconds.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from functools import partial

from pydantic import SecretStr

from adapters.callaba.backend import CallabaBackend
from adapters.callaba.client import CallabaClient
from adapters.callaba.sandbox import CallabaSandbox
from adapters.httpclient import build_http_client
from bench._cli import arguments, parse
from bench._machine import describe
from bench._report import command, table, write_section
from bench._stats import Summary
from bot.meeting import ConferenceSpec
from bot.schedule import Once

NAME = "callaba_rooms"
SPEC = ConferenceSpec(
    topic="Bench",
    owner_login="",
    invitee_logins=(),
    schedule=Once(datetime(2030, 1, 1, 9, tzinfo=UTC), "UTC"),
    duration=timedelta(hours=1),
)


async def _timed(calls: Sequence[Callable[[], Awaitable[object]]]) -> list[float]:
    took = []
    for call in calls:
        started = time.perf_counter()
        await call()
        took.append((time.perf_counter() - started) * 1000)
    return took


def _row(name: str, took: list[float]) -> list[object]:
    stats = Summary.of(took)
    print(f"{name:10} n={stats.n:4}  median {stats.p50:6.2f} ms  p99 {stats.p99:6.2f} ms")
    return [f"`{name}`", stats.n, f"{stats.p50:.2f}", f"{stats.p99:.2f}"]


async def run(rooms: int) -> list[list[object]]:
    async with CallabaSandbox() as sandbox:
        http = build_http_client(sandbox.base_url, timeout=5.0)
        try:
            backend = CallabaBackend(CallabaClient(http, SecretStr(sandbox.token)))
            await backend.create(SPEC)  # warm the connection
            ids: list[str] = []

            async def create() -> None:
                ids.append((await backend.create(SPEC)).conference_id)

            rows = [_row("create", await _timed([create] * rooms))]
            rows.append(_row("getById", await _timed([partial(backend.get, i) for i in ids])))
            activate = [partial(backend.set_active, i, True) for i in ids]
            rows.append(_row("activate", await _timed(activate)))
            rows.append(_row("remove", await _timed([partial(backend.delete, i) for i in ids])))
            return rows
        finally:
            await http.aclose()


def main() -> None:
    parser = arguments(__doc__, quick="50 rooms")
    parser.add_argument("--rooms", type=int, default=300)
    args = parse(parser, rooms=50)
    machine = asyncio.run(describe())
    started = time.monotonic()
    rows = asyncio.run(run(args.rooms))
    took = time.monotonic() - started
    write_section(
        NAME,
        f"""## Extra: Callaba room calls (`bench/callaba_rooms.py`)

`{command(f"bench.{NAME}")}` — {took:.0f} s. {machine}

The bridge's Callaba client against the Callaba sandbox on loopback: {args.rooms} scheduled
rooms created, read, switched on and removed, one call at a time (the bridge's side of
each call: httpx, JSON, error mapping, and the sandbox's own handling). No goal is set.

{table(["call", "n", "median ms", "p99 ms"], rows)}
""",
    )


if __name__ == "__main__":
    main()
