"""Token caching, refresh, sharing and the invalid-token retry, against the sandbox."""

from __future__ import annotations

import asyncio
import logging
import socket
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from adapters.httpclient import build_http_client
from adapters.trueconf.auth import TrueConfAuth
from adapters.trueconf.client import TrueConfClient
from adapters.trueconf.sandbox import InjectedFailure, SandboxServer
from bot.clock import FrozenClock
from bot.errors import BackendAuthError, BackendUnavailable

API_CALLS = "GET /users/{id}"


async def test_token_is_fetched_once_for_many_calls(
    client: TrueConfClient, auth: TrueConfAuth, sandbox: SandboxServer
) -> None:
    for _ in range(5):
        assert await client.get_user("alice") is not None
    assert auth.fetch_count == 1
    assert sandbox.state.tokens_issued == 1
    assert sandbox.state.calls(API_CALLS) == 5


@pytest.mark.parametrize("lifetime", [120, 3600, 604800])
async def test_token_refreshes_shortly_before_the_returned_expires_in(
    http: httpx.AsyncClient, sandbox: SandboxServer, clock: FrozenClock, lifetime: int
) -> None:
    sandbox.state.token_lifetime = lifetime
    auth = TrueConfAuth(http, sandbox.client_id, sandbox.client_secret, clock=clock)
    first = await auth.token()
    margin = min(60, lifetime / 10)
    clock.advance(timedelta(seconds=lifetime - margin - 1))
    assert await auth.token() == first
    assert auth.fetch_count == 1
    clock.advance(timedelta(seconds=2))
    second = await auth.token()
    assert second != first
    assert auth.fetch_count == 2


async def test_concurrent_callers_share_one_refresh(
    client: TrueConfClient, auth: TrueConfAuth, sandbox: SandboxServer
) -> None:
    tokens = await asyncio.gather(*(auth.token() for _ in range(20)))
    assert len(set(tokens)) == 1
    users = await asyncio.gather(*(client.get_user("bob") for _ in range(10)))
    assert all(u is not None for u in users)
    assert auth.fetch_count == 1
    assert sandbox.state.tokens_issued == 1


async def test_revoked_token_is_replaced_and_the_call_retried_once(
    client: TrueConfClient, auth: TrueConfAuth, sandbox: SandboxServer
) -> None:
    await client.get_user("alice")
    sandbox.state.revoke_tokens()
    sandbox.state.clear_log()
    assert await client.get_user("alice") is not None
    statuses = [e.status for e in sandbox.state.request_log if e.endpoint == API_CALLS]
    assert statuses == [401, 200]
    assert auth.fetch_count == 2


async def test_expired_token_answer_403_is_retried_with_a_fresh_token(
    http: httpx.AsyncClient, sandbox: SandboxServer, clock: FrozenClock
) -> None:
    # The bridge's clock lags the server's, so the server expires the token first.
    lagging = FrozenClock(clock.now())
    auth = TrueConfAuth(http, sandbox.client_id, sandbox.client_secret, clock=lagging)
    client = TrueConfClient(http, auth)
    await client.get_user("alice")
    clock.advance(timedelta(seconds=3601))
    sandbox.state.clear_log()
    assert await client.get_user("alice") is not None
    statuses = [e.status for e in sandbox.state.request_log if e.endpoint == API_CALLS]
    assert statuses == [403, 200]
    assert auth.fetch_count == 2


async def test_a_second_invalid_token_answer_raises(
    client: TrueConfClient, sandbox: SandboxServer
) -> None:
    sandbox.state.inject_failure(
        InjectedFailure(count=2, status=401, reason="accessTokenInvalid", message="Unauthorized")
    )
    with pytest.raises(BackendAuthError) as raised:
        await client.get_user("alice")
    assert raised.value.reason == "accessTokenInvalid"
    assert sandbox.state.calls(API_CALLS) == 2


async def test_403_for_another_reason_is_not_retried(
    client: TrueConfClient, auth: TrueConfAuth, sandbox: SandboxServer
) -> None:
    sandbox.state.inject_failure(InjectedFailure(status=403, reason="forbidden", message="No"))
    with pytest.raises(Exception) as raised:
        await client.get_user("alice")
    assert getattr(raised.value, "reason", None) == "forbidden"
    assert sandbox.state.calls(API_CALLS) == 1
    assert auth.fetch_count == 1


async def test_wrong_secret_maps_to_invalid_credentials_without_leaking_it(
    http: httpx.AsyncClient, sandbox: SandboxServer, clock: FrozenClock
) -> None:
    secret = "wrong-secret-value-123"
    auth = TrueConfAuth(http, sandbox.client_id, secret, clock=clock)
    with pytest.raises(BackendAuthError) as raised:
        await auth.token()
    assert raised.value.reason == "invalidCredentials"
    assert raised.value.status == 401
    for text in (str(raised.value), repr(raised.value), raised.value.detail, repr(auth)):
        assert secret not in text
        assert sandbox.client_secret not in text


@pytest.mark.usefixtures("sandbox")
async def test_missing_credentials_answer_400_plain_string_error(
    http: httpx.AsyncClient, clock: FrozenClock
) -> None:
    auth = TrueConfAuth(http, "", "", clock=clock)
    with pytest.raises(BackendAuthError) as raised:
        await auth.token()
    assert raised.value.reason == "invalidCredentials"
    assert raised.value.status == 400


async def test_secret_and_token_stay_out_of_logs_urls_and_reprs(
    client: TrueConfClient,
    auth: TrueConfAuth,
    sandbox: SandboxServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    await client.get_user("alice")
    token = await auth.token()
    sandbox.state.inject_failure(InjectedFailure(status=400, reason="invalidRequest"))
    with pytest.raises(Exception) as raised:
        await client.get_user("alice")
    for text in (caplog.text, repr(auth), repr(client), str(raised.value), repr(raised.value)):
        assert sandbox.client_secret not in text
        assert token not in text
    api = [e for e in sandbox.state.request_log if e.endpoint == API_CALLS]
    assert api
    assert all(e.authorization == "Bearer" and "access_token" not in e.query for e in api)


async def test_unreachable_server_is_backend_unavailable(clock: FrozenClock) -> None:
    # A port nothing listens on: bind, note it, and close.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    async with build_http_client(f"http://127.0.0.1:{port}", timeout=2.0) as http:
        auth = TrueConfAuth(http, "id", "s3cr3t-never-shown", clock=clock)
        with pytest.raises(BackendUnavailable) as raised:
            await auth.token()
    assert raised.value.reason == "unreachable"
    assert "s3cr3t-never-shown" not in str(raised.value)


def test_sandbox_is_usable_from_sync_code() -> None:
    clock = FrozenClock(datetime(2026, 1, 5, 12, 0, tzinfo=UTC))
    with SandboxServer(clock=clock) as server:
        answer = httpx.post(
            f"{server.base_url}/oauth2/v1/token",
            data={
                "grant_type": "client_credentials",
                "client_id": server.client_id,
                "client_secret": server.client_secret,
            },
        )
        assert answer.status_code == 200
        assert answer.json()["expires_in"] == 3600
        assert answer.json()["token_type"] == "Bearer"
