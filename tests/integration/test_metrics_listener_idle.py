"""``meetbridge work``'s ``/metrics`` listener against connections that send
no whole request (what anyone who reaches WORK_METRICS_HOST may open, token
or not: the token is read only once the request is): each is closed after
the listener's idle time, and they take no more threads than its bound;
each took a thread of the work process for as long as it stayed open."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from adapters.metrics import BearerToken, MetricsListener, PrometheusMetrics
from tests.support.metrics_auth import TOKEN, scrape
from tests.support.serve import free_port
from tests.support.waiting import until

pytestmark = pytest.mark.timeout(60)

AT_ONCE = 4  # connections the listener serves at once in these tests


@asynccontextmanager
async def _listening(idle_seconds: float) -> AsyncIterator[int]:
    port = free_port()
    listener = MetricsListener(
        PrometheusMetrics(),
        "127.0.0.1",
        port,
        token=BearerToken(TOKEN),
        idle_seconds=idle_seconds,
        at_once=AT_ONCE,
    )
    await listener.start()
    try:
        yield port
    finally:
        await listener.stop()


def _half_request(port: int) -> socket.socket:
    """A connection that sends the start of a request and then nothing;
    reading it gives up after 10 s (the listener's close comes before)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n")
    return sock


async def test_a_connection_that_sends_no_whole_request_is_closed() -> None:
    async with _listening(0.5) as port:
        with _half_request(port) as sock:
            assert sock.recv(1024) == b""  # not a TimeoutError after 10 s


async def test_connections_beyond_the_bound_are_closed_at_once() -> None:
    async with _listening(30) as port:
        before = threading.active_count()
        held = [_half_request(port) for _ in range(AT_ONCE + 20)]
        try:
            # Those beyond the bound are closed, not each given a thread.
            for sock in held[AT_ONCE:]:
                assert sock.recv(1024) == b""
            assert threading.active_count() - before <= AT_ONCE
        finally:
            for sock in held:
                sock.close()
        # Once their threads are done, the token's bearer is served again.
        await until(lambda: threading.active_count() <= before, within=10, what="threads done")
        answer = scrape(f"http://127.0.0.1:{port}/metrics", f"Bearer {TOKEN}")
        assert answer.status_code == 200
        assert "meetbridge_build_info" in answer.text


def _dripped_until_closed(sock: socket.socket, pause: float, within: float) -> bool:
    """Sends a request's headers one byte per ``pause`` (each byte well inside
    the listener's idle time), waiting on the socket between bytes; whether
    the listener closed it before ``within`` seconds."""
    sock.settimeout(pause)
    deadline = time.monotonic() + within
    header = b"X-Drip: " + b"a" * 10_000
    for byte in header:
        if time.monotonic() > deadline:
            return False
        try:
            if sock.recv(1024) == b"":
                return True
        except TimeoutError:
            pass
        try:
            sock.sendall(bytes([byte]))
        except (BrokenPipeError, ConnectionResetError):
            return True
    return False


async def test_a_request_sent_a_byte_at_a_time_is_closed_after_the_idle_time() -> None:
    # Each byte comes before the idle time is out; the whole request never
    # does. Closed after the idle time all the same, else a few such
    # connections hold every one of the listener's slots, scrapes refused.
    async with _listening(0.6) as port:
        with _half_request(port) as sock:
            assert _dripped_until_closed(sock, pause=0.2, within=6)


async def test_a_connection_closed_for_its_time_writes_one_log_line_not_a_traceback(
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    # Anyone may open such connections: each wrote socketserver's traceback
    # to the work process's stderr, beside the log and not in its format.
    caplog.set_level(logging.DEBUG, logger="adapters.metrics.listener")
    async with _listening(0.3) as port:
        with _half_request(port) as sock:
            assert sock.recv(1024) == b""
        await until(
            lambda: any("connection" in r.getMessage() for r in caplog.records),
            within=10,
            what="the closed connection logged",
        )
    assert capsys.readouterr().err == ""
    (record,) = [r for r in caplog.records if "connection" in r.getMessage()]
    assert record.levelno == logging.DEBUG
    assert record.exc_info is None
