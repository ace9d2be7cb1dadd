"""An open-loop load generator for ``/slack/events``, run in its own process:

    python -m bench._loadgen URL RATE SECONDS TEXT RESPONSE_BASE TAG

It sends signed ``/meet TEXT`` requests on a fixed schedule (request ``i`` at
``start + i / RATE``) whatever the answers, so a server that falls behind shows
it as latency instead of slowing the load down. Latency is measured from each
request's scheduled time to its answer, so time spent waiting for a free
connection counts too. Request ``i`` names ``RESPONSE_BASE/TAG-i`` as its
response URL, so replies can be matched to requests, and comes from one of
``SPEAKERS`` people in turn (one person's commands in a chat are worked on one
after another, as a team's are not); ``{name}`` in TEXT is
replaced by that name too (a topic that names the reply, for the replies a
bridge posts with ``chat.postMessage`` rather than to the response URL).

A small HTTP/1.1 client over asyncio streams (one request per keep-alive
connection at a time, new connections opened as needed) keeps the generator's
own CPU cost well below what it measures. Prints one JSON object: ``start``
(``time.monotonic()``, one clock for every process) and per request
``[offset, seconds or null, status or error]``.
"""

from __future__ import annotations

import asyncio
import json
import socket
import sys
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from bench._slack import SECRET, command_body, sign, speaker

TIMEOUT = 10.0  # an answer later than this is an error ("timeout")
MAX_CONNECTIONS = 2000
# uvicorn closes a keep-alive connection idle for 5 s (timeout_keep_alive); one
# reused just as it does fails with no answer, an error of the generator's own
# making. Connections idle this long are closed here first.
IDLE_MOST = 4.0

Connection = tuple[asyncio.StreamReader, asyncio.StreamWriter]


@dataclass(frozen=True, slots=True)
class Target:
    host: str
    port: int
    path: str


class Pool:
    """Idle keep-alive connections; a new one when none is free."""

    def __init__(self, target: Target) -> None:
        self._target = target
        self._idle: list[tuple[Connection, float]] = []  # with when each went idle
        self._slots = asyncio.Semaphore(MAX_CONNECTIONS)

    async def acquire(self) -> Connection:
        await self._slots.acquire()
        while self._idle:
            conn, since = self._idle.pop()
            if time.monotonic() - since < IDLE_MOST:
                return conn
            conn[1].close()
        try:
            reader, writer = await asyncio.open_connection(self._target.host, self._target.port)
        except BaseException:
            self._slots.release()
            raise
        sock = writer.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return reader, writer

    def release(self, conn: Connection, *, reusable: bool) -> None:
        if reusable:
            self._idle.append((conn, time.monotonic()))
        else:
            conn[1].close()
        self._slots.release()

    def close(self) -> None:
        for (_, writer), _since in self._idle:
            writer.close()
        self._idle.clear()


def request_bytes(target: Target, text: str, trigger: str, response_url: str, user: str) -> bytes:
    body = command_body(text, trigger, response_url, user=user)
    ts = str(int(time.time()))
    head = (
        f"POST {target.path} HTTP/1.1\r\n"
        f"Host: {target.host}:{target.port}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"X-Slack-Request-Timestamp: {ts}\r\n"
        f"X-Slack-Signature: {sign(SECRET, ts, body)}\r\n"
        f"Content-Length: {len(body.encode())}\r\n\r\n"
    )
    return (head + body).encode()


BUSY = b"Too many commands at once"  # the bridge's "busy" acknowledgement (texts.py)


async def exchange(pool: Pool, payload: bytes) -> str:
    """One request and its answer; returns the status code, with " busy"
    after it when the bridge acknowledged but refused the work."""
    conn = await pool.acquire()
    reader, writer = conn
    reusable = False
    try:
        writer.write(payload)
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").lower()
        status = int(head.split(" ", 2)[1])
        length = 0
        for line in head.split("\r\n")[1:]:
            name, _, value = line.partition(":")
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding":
                raise ValueError("chunked answers are not expected from /slack/events")
        body = await reader.readexactly(length)
        reusable = "connection: close" not in head
        return f"{status} busy" if BUSY in body else str(status)
    finally:
        pool.release(conn, reusable=reusable)


async def one(pool: Pool, payload: bytes, due: float) -> tuple[float | None, str]:
    try:
        status = await asyncio.wait_for(exchange(pool, payload), TIMEOUT)
    except TimeoutError:
        return None, "timeout"
    except (OSError, ValueError, asyncio.IncompleteReadError) as exc:
        return None, type(exc).__name__
    return time.monotonic() - due, status


async def run(
    url: str, rate: float, seconds: float, text: str, base: str, tag: str
) -> dict[str, object]:
    parts = urlsplit(url)
    target = Target(parts.hostname or "127.0.0.1", parts.port or 80, parts.path)
    count = round(rate * seconds)
    payloads = [
        request_bytes(
            target,
            text.replace("{name}", f"{tag}-{i}"),
            f"bench.{tag}.{i}.{time.time_ns()}",
            f"{base}/{tag}-{i}",
            speaker(i),
        )
        for i in range(count)
    ]
    pool = Pool(target)
    start = time.monotonic() + 0.1
    tasks: list[asyncio.Task[tuple[float | None, str]]] = []
    for i, payload in enumerate(payloads):
        due = start + i / rate
        delay = due - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(pool, payload, due)))
    results = await asyncio.gather(*tasks)
    pool.close()
    records = [[i / rate, took, outcome] for i, (took, outcome) in enumerate(results)]
    return {"start": start, "records": records}


def main(argv: list[str]) -> None:
    url, rate, seconds, text, base, tag = argv
    result = asyncio.run(run(url, float(rate), float(seconds), text, base, tag))
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
