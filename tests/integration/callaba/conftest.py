"""Fixtures: a live Callaba sandbox on loopback and a client and backend for it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from pydantic import SecretStr

from adapters.callaba.backend import CallabaBackend
from adapters.callaba.client import CallabaClient
from adapters.callaba.sandbox import CallabaSandbox
from adapters.httpclient import build_http_client
from bot.clock import FrozenClock
from tests.support.sleeps import SleepRecorder


@pytest.fixture
def sandbox(clock: FrozenClock) -> Iterator[CallabaSandbox]:
    with CallabaSandbox(clock=clock) as server:
        yield server


@pytest.fixture
async def http(sandbox: CallabaSandbox) -> AsyncIterator[httpx.AsyncClient]:
    async with build_http_client(sandbox.base_url, timeout=5.0) as client:
        yield client


@pytest.fixture
def client(
    http: httpx.AsyncClient, sandbox: CallabaSandbox, sleeps: SleepRecorder
) -> CallabaClient:
    return CallabaClient(http, SecretStr(sandbox.token), sleep=sleeps)


@pytest.fixture
def backend(client: CallabaClient) -> CallabaBackend:
    return CallabaBackend(client)
