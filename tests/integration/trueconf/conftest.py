"""Fixtures: a live sandbox TrueConf Server on loopback and clients configured for it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator

import httpx
import pytest

from adapters.httpclient import build_http_client
from adapters.trueconf.auth import TrueConfAuth
from adapters.trueconf.backend import TrueConfBackend
from adapters.trueconf.client import TrueConfClient
from adapters.trueconf.sandbox import SandboxServer
from bot.clock import FrozenClock
from tests.support.sleeps import SleepRecorder

SERVER_ZONE = "Europe/Moscow"


@pytest.fixture
def sandbox(clock: FrozenClock) -> Iterator[SandboxServer]:
    with SandboxServer(clock=clock, token_lifetime=3600, server_zone=SERVER_ZONE) as server:
        yield server


@pytest.fixture
async def http(sandbox: SandboxServer) -> AsyncIterator[httpx.AsyncClient]:
    async with build_http_client(sandbox.base_url, timeout=5.0) as client:
        yield client


@pytest.fixture
def auth(http: httpx.AsyncClient, sandbox: SandboxServer, clock: FrozenClock) -> TrueConfAuth:
    return TrueConfAuth(http, sandbox.client_id, sandbox.client_secret, clock=clock)


@pytest.fixture
def make_client(
    http: httpx.AsyncClient, auth: TrueConfAuth, sleeps: SleepRecorder
) -> Callable[..., TrueConfClient]:
    def make(api_version: str = "v3.10", retry_attempts: int = 3) -> TrueConfClient:
        return TrueConfClient(
            http, auth, api_version=api_version, retry_attempts=retry_attempts, sleep=sleeps
        )

    return make


@pytest.fixture
def client(make_client: Callable[..., TrueConfClient]) -> TrueConfClient:
    return make_client()


@pytest.fixture
def backend(client: TrueConfClient, clock: FrozenClock) -> TrueConfBackend:
    return TrueConfBackend(client, server_zone=SERVER_ZONE, clock=clock)
