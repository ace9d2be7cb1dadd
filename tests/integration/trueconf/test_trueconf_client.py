"""The REST client over real loopback HTTP: pagination, errors, encoding, retries."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import httpx
import pytest

from adapters.trueconf.auth import TrueConfAuth
from adapters.trueconf.client import TrueConfClient
from adapters.trueconf.sandbox import InjectedFailure, SandboxServer, SandboxUser
from bot.errors import BackendAuthError, BackendError, BackendUnavailable
from tests.support.sleeps import SleepRecorder

REASONS = [
    ("forbidden", 403),
    ("conferenceNotFound", 404),
    ("userNotFound", 404),
    ("conferenceUnavailableForChange", 400),
    ("conferenceOwnerNotInInvitationsList", 400),
    ("conferenceMaxInvitationsLimit", 400),
    ("conferenceLimit", 400),
    ("maxGuestsLimitReached", 400),
    ("ongoingConferencesLimit", 400),
    ("conferenceIsFinished", 400),
    ("conferenceIsNotRunning", 400),
    ("participantIsUnavailable", 400),
    ("participantAlreadyInConference", 400),
    ("conferenceFieldUnavailableForChange", 400),
    ("invalidRequest", 400),
    ("joinOptionsNotAllowedByLicense", 400),
    ("mcuModeUnavailableWhenMulticastIsEnabled", 400),
]


def _body(topic: str = "Sync", owner: str = "alice", **extra: object) -> dict[str, object]:
    return {
        "topic": topic,
        "type": 0,
        "owner": owner,
        "invitations": [{"id": owner}],
        "schedule": {"type": -1},
        **extra,
    }


# -- pagination -----------------------------------------------------------------


@pytest.mark.parametrize(("page_size", "requests"), [(3, 3), (7, 2), (200, 1), (1, 8)])
async def test_user_list_reads_until_a_short_page(
    client: TrueConfClient, sandbox: SandboxServer, page_size: int, requests: int
) -> None:
    users = await client.list_users(page_size=page_size)
    assert [u["login_name"] for u in users] == list(sandbox.state.users)
    assert len(users) == 7
    # 7 users: size 7 gives a full page then an empty one; size 1 gives 7 full + 1 empty.
    assert sandbox.state.calls("GET /users") == requests


@pytest.mark.parametrize(("page_size", "requests"), [(2, 3), (3, 2), (4, 2)])
async def test_conference_list_reads_every_page(
    client: TrueConfClient, sandbox: SandboxServer, page_size: int, requests: int
) -> None:
    created = [(await client.create_conference(_body(f"C{i}")))["id"] for i in range(4)]
    listed = await client.list_conferences(page_size=page_size)
    assert [c["id"] for c in listed] == created
    assert sandbox.state.calls("GET /conferences") == requests


async def test_email_lookup_is_exact_and_case_insensitive(
    client: TrueConfClient, sandbox: SandboxServer
) -> None:
    # The server filter matches substrings: jimbob@example.com contains bob@example.com.
    sandbox.state.users["jimbob"] = SandboxUser("jimbob", "jimbob@example.com", "Jim Bob")
    found = await client.find_users_by_email("BOB@Example.com")
    assert [u["login_name"] for u in found] == ["bob"]
    assert await client.find_users_by_email("nobody@example.com") == []


async def test_user_lookup_by_login(client: TrueConfClient) -> None:
    user = await client.get_user("carol")
    assert user is not None
    assert user["email"] == "carol@example.com"
    assert await client.get_user("nobody") is None


# -- error mapping --------------------------------------------------------------


@pytest.mark.parametrize(("reason", "status"), REASONS)
async def test_every_error_reason_is_mapped(
    client: TrueConfClient, sandbox: SandboxServer, reason: str, status: int
) -> None:
    sandbox.state.inject_failure(
        InjectedFailure(status=status, reason=reason, message=f"{reason} happened")
    )
    with pytest.raises(BackendError) as raised:
        await client.create_conference(_body())
    assert type(raised.value) is BackendError
    assert raised.value.reason == reason
    assert raised.value.status == status
    assert raised.value.detail == f"{reason} happened"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"error": "conferenceNotFound"}, "conferenceNotFound"),
        ({"error": "invalid_request", "error_description": "bad"}, "invalid_request"),
        ({"error": ""}, "serverError"),
        ({"error": {"code": 400, "message": "Bad Request"}}, "invalidRequest"),
        ({"error": 42}, "invalidResponse"),
        (["not", "an", "object"], "invalidResponse"),
        ({"something": "else"}, "invalidResponse"),
    ],
)
async def test_odd_error_shapes(
    client: TrueConfClient, sandbox: SandboxServer, body: object, reason: str
) -> None:
    sandbox.state.inject_failure(InjectedFailure(status=400, body=body))
    with pytest.raises(BackendError) as raised:
        await client.create_conference(_body())
    assert raised.value.reason == reason


async def test_non_json_answers_are_invalid_response(
    client: TrueConfClient, sandbox: SandboxServer
) -> None:
    sandbox.state.inject_failure(InjectedFailure(status=400, raw=b"<html>oops</html>"))
    with pytest.raises(BackendError) as raised:
        await client.create_conference(_body())
    assert raised.value.reason == "invalidResponse"
    sandbox.state.inject_failure(InjectedFailure(status=200, raw=b"<html>ok?</html>"))
    with pytest.raises(BackendError) as raised:
        await client.get_user("alice")
    assert raised.value.reason == "invalidResponse"


async def test_invalid_credentials_reason_is_an_auth_error(
    client: TrueConfClient, sandbox: SandboxServer
) -> None:
    sandbox.state.inject_failure(InjectedFailure(status=400, reason="invalidCredentials"))
    with pytest.raises(BackendAuthError):
        await client.create_conference(_body())


async def test_real_validation_errors_come_back_typed(client: TrueConfClient) -> None:
    with pytest.raises(BackendError) as raised:
        await client.create_conference(_body(topic="x" * 241))
    assert (raised.value.reason, raised.value.status) == ("invalidRequest", 400)
    with pytest.raises(BackendError) as raised:
        await client.create_conference(_body(owner="ghost"))
    assert raised.value.reason == "userNotFound"
    with pytest.raises(BackendError) as raised:
        await client.create_conference(_body(invitations=[{"id": "bob"}]))
    assert raised.value.reason == "conferenceOwnerNotInInvitationsList"


# -- path encoding --------------------------------------------------------------


@pytest.mark.parametrize(
    "odd_id", ["0012345678", "a/b", "user@server#vcs", "with space", "%41", "..", ".", "ж"]
)
async def test_path_segments_reach_the_server_intact(
    client: TrueConfClient, sandbox: SandboxServer, odd_id: str
) -> None:
    with pytest.raises(BackendError) as raised:
        await client.get_conference(odd_id)
    # A routing miss would say notFound; the id reached the conference handler whole.
    assert raised.value.reason == "conferenceNotFound"
    last = sandbox.state.request_log[-1]
    assert last.endpoint == "GET /conferences/{id}"
    assert last.segments[-1] == odd_id


async def test_empty_ids_are_refused_before_sending(
    client: TrueConfClient, sandbox: SandboxServer
) -> None:
    with pytest.raises(BackendError) as raised:
        await client.get_conference("")
    assert raised.value.reason == "invalidRequest"
    assert sandbox.state.calls("GET /conferences") == 0


async def test_leading_zeros_survive_a_round_trip(client: TrueConfClient) -> None:
    created = await client.create_conference(_body(id="0012345678"))
    assert created["id"] == "0012345678"
    fetched = await client.get_conference("0012345678")
    assert fetched["id"] == "0012345678"
    with pytest.raises(BackendError) as raised:
        await client.get_conference("12345678")
    assert raised.value.reason == "conferenceNotFound"


async def test_invitation_login_with_at_sign_is_encoded(
    client: TrueConfClient, sandbox: SandboxServer
) -> None:
    conference = await client.create_conference(_body(invitations=[{"id": "alice"}, {"id": "bob"}]))
    await client.delete_invitation(conference["id"], "bob@127.0.0.1")
    last = sandbox.state.request_log[-1]
    assert last.raw_path.endswith("/invitations/bob%40127.0.0.1")
    assert [i["id"] for i in await client.list_invitations(conference["id"])] == ["alice"]


# -- retries --------------------------------------------------------------------


async def test_get_is_retried_on_503_with_growing_backoff(
    client: TrueConfClient, sandbox: SandboxServer, sleeps: SleepRecorder
) -> None:
    sandbox.state.inject_failure(InjectedFailure(count=2, method="GET"))
    assert await client.get_user("alice") is not None
    assert sandbox.state.calls("GET /users/{id}") == 3
    assert len(sleeps.delays) == 2
    assert 0 < sleeps.delays[0] < sleeps.delays[1]


async def test_retries_are_bounded(client: TrueConfClient, sandbox: SandboxServer) -> None:
    sandbox.state.inject_failure(InjectedFailure(count=10, method="GET"))
    with pytest.raises(BackendError) as raised:
        await client.get_user("alice")
    assert raised.value.reason == "serviceUnavailable"
    assert sandbox.state.calls("GET /users/{id}") == 3


async def test_html_502_from_a_proxy_is_retried_for_put(
    client: TrueConfClient, sandbox: SandboxServer
) -> None:
    conference = await client.create_conference(_body())
    sandbox.state.inject_failure(InjectedFailure(method="PUT", status=502, raw=b"<html>502</html>"))
    edited = await client.edit_conference(conference["id"], {"topic": "Renamed"})
    assert edited["topic"] == "Renamed"
    assert sandbox.state.calls("PUT /conferences/{id}") == 2


@pytest.mark.parametrize(
    ("call", "endpoint"),
    [
        ("create", "POST /conferences"),
        ("run", "POST /conferences/{id}/run"),
        ("invite", "POST /conferences/{id}/invite"),
    ],
)
async def test_posts_are_never_retried(
    client: TrueConfClient, sandbox: SandboxServer, call: str, endpoint: str
) -> None:
    conference = await client.create_conference(_body())
    sandbox.state.inject_failure(InjectedFailure(count=5, method="POST", endpoint=endpoint))
    calls: dict[str, Callable[[], Awaitable[object]]] = {
        "create": lambda: client.create_conference(_body()),
        "run": lambda: client.run_conference(conference["id"]),
        "invite": lambda: client.invite(conference["id"], ["bob"]),
    }
    with pytest.raises(BackendError) as raised:
        await calls[call]()
    assert raised.value.reason == "serviceUnavailable"
    expected = 2 if call == "create" else 1  # the setup create counts for its endpoint
    assert sandbox.state.calls(endpoint) == expected


async def test_timeouts_become_backend_unavailable(
    sandbox: SandboxServer, auth: TrueConfAuth, sleeps: SleepRecorder
) -> None:
    await auth.token()  # fetched before the server turns slow
    sandbox.state.latency = 0.3
    async with httpx.AsyncClient(base_url=sandbox.base_url, timeout=0.05) as slow_http:
        client = TrueConfClient(slow_http, auth, retry_attempts=2, sleep=sleeps)
        with pytest.raises(BackendUnavailable) as raised:
            await client.get_user("alice")
    sandbox.state.latency = 0.0
    assert raised.value.reason == "timeout"
    assert len(sleeps.delays) == 1  # two attempts, one backoff


# -- versions, guest links, calendars -----------------------------------------------


async def test_invite_body_follows_the_configured_version(
    make_client: Callable[..., TrueConfClient], sandbox: SandboxServer
) -> None:
    new, old = make_client("v3.10"), make_client("v3.1")
    assert new.invite_body(["bob"]) == {"invitations": [{"id": "bob", "display_name": "bob"}]}
    assert old.invite_body(["bob", "carol"]) == {"participants": ["bob", "carol"]}
    assert make_client("v3.5").invite_body(["bob"])["invitations"][0]["id"] == "bob"
    assert "participants" in make_client("v3.4").invite_body(["bob"])
    for client in (new, old):
        conference = await client.create_conference(_body())
        assert await client.invite(conference["id"], ["bob", "carol"]) is True
        assert sandbox.state.raw_conference(conference["id"])["called"] == ["bob", "carol"]  # type: ignore[index]
    assert {e.segments[1] for e in sandbox.state.request_log if e.endpoint.endswith("/invite")} == {
        "v3.10",
        "v3.1",
    }


async def test_sandbox_rejects_the_other_versions_invite_body(client: TrueConfClient) -> None:
    conference = await client.create_conference(_body())
    with pytest.raises(BackendError) as raised:
        await client.request(
            "POST", "conferences", conference["id"], "invite", json={"participants": ["bob"]}
        )
    assert raised.value.reason == "missingRequiredField"


async def test_ics_is_bytes_of_a_calendar(client: TrueConfClient) -> None:
    conference = await client.create_conference(_body())
    data = await client.ics(conference["id"])
    assert data.startswith(b"BEGIN:VCALENDAR")


def test_unknown_api_version_format_is_rejected(
    http: httpx.AsyncClient, auth: TrueConfAuth
) -> None:
    with pytest.raises(ValueError, match=r"v3\.10"):
        TrueConfClient(http, auth, api_version="3.10")
