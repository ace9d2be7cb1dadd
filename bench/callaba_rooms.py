"""Latency of each Callaba room call through the bridge's client on loopback,
against the Callaba sandbox (so it measures the bridge's side: httpx, JSON,
error mapping, and the sandbox's own handling).

    .venv/bin/python -m bench.callaba_rooms [--rooms 300]

Creates ``--rooms`` scheduled rooms, reads each, switches each on, and removes
each, one call at a time; prints median and p99 per call in milliseconds.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from functools import partial

from pydantic import SecretStr

from adapters.callaba.backend import CallabaBackend
from adapters.callaba.client import CallabaClient
from adapters.callaba.sandbox import CallabaSandbox
from adapters.httpclient import build_http_client
from bot.meeting import ConferenceSpec
from bot.schedule import Once

SPEC = ConferenceSpec(
    topic="Bench",
    owner_login="",
    invitee_logins=(),
    schedule=Once(datetime(2030, 1, 1, 9, tzinfo=UTC), "UTC"),
    duration=timedelta(hours=1),
)


async def _timed(calls: list[Callable[[], Awaitable[object]]]) -> list[float]:
    took = []
    for call in calls:
        started = time.perf_counter()
        await call()
        took.append((time.perf_counter() - started) * 1000)
    return took


def _line(name: str, took: list[float]) -> str:
    p99 = statistics.quantiles(took, n=100)[98]
    return f"{name:10} n={len(took):4}  median {statistics.median(took):6.2f} ms  p99 {p99:6.2f} ms"


async def run(rooms: int) -> None:
    async with CallabaSandbox() as sandbox:
        http = build_http_client(sandbox.base_url, timeout=5.0)
        try:
            backend = CallabaBackend(CallabaClient(http, SecretStr(sandbox.token)))
            await backend.create(SPEC)  # warm the connection
            ids: list[str] = []

            async def create() -> None:
                ids.append((await backend.create(SPEC)).conference_id)

            print(_line("create", await _timed([create] * rooms)))
            print(_line("getById", await _timed([partial(backend.get, i) for i in ids])))
            print(
                _line("activate", await _timed([partial(backend.set_active, i, True) for i in ids]))
            )
            print(_line("remove", await _timed([partial(backend.delete, i) for i in ids])))
        finally:
            await http.aclose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rooms", type=int, default=300)
    asyncio.run(run(parser.parse_args().rooms))


if __name__ == "__main__":
    main()
