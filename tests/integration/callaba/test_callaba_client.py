"""The Callaba client and backend against the sandbox over loopback: every
call, what travels on the wire, and how failures become typed errors."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, time, timedelta

import httpx
import pytest
from pydantic import SecretStr

from adapters.callaba.backend import CallabaBackend
from adapters.callaba.client import CallabaClient
from adapters.callaba.errors import REASONS, REFUSALS
from adapters.callaba.sandbox import CallabaSandbox, Failure
from adapters.callaba.sandbox.rooms import OBJECT_ID
from adapters.httpclient import build_http_client
from bot.errors import BackendAuthError, BackendError, BackendUnavailable, Refusal
from bot.i18n import CATALOG
from bot.meeting import BackendFeatures, ConferenceSpec, EditField
from bot.ports import features_of
from bot.schedule import Instant, Once, Weekday, Weekly
from tests.support.sleeps import SleepRecorder

pytestmark = pytest.mark.timeout(30)

START = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)


def spec(topic: str = "Design review", schedule: object = None) -> ConferenceSpec:
    return ConferenceSpec(
        topic=topic,
        owner_login="",
        invitee_logins=(),
        schedule=schedule or Once(START, "Europe/Moscow"),  # type: ignore[arg-type]
        duration=timedelta(hours=1),
    )


async def test_create_sends_the_documented_body_with_the_token_header(
    backend: CallabaBackend, sandbox: CallabaSandbox
) -> None:
    conference = await backend.create(spec())

    assert OBJECT_ID.fullmatch(conference.conference_id)
    [call] = sandbox.state.log("create")
    assert (call.method, call.status, call.token) == ("POST", 200, True)
    assert call.body == {
        "name": "Design review",
        "mediaType": "MEDIA_TYPE_VIDEO_AUDIO",
        "max_participants": 50,
        "active": False,  # a scheduled room waits for the bridge to open it
    }
    room = sandbox.state.rooms()[conference.conference_id]
    assert room["active"] is False
    assert room["user_id"] == sandbox.state.user_id
    assert conference.state == "stopped"


async def test_join_info_is_the_speaker_and_view_only_links(
    backend: CallabaBackend, sandbox: CallabaSandbox
) -> None:
    conference = await backend.create(spec())

    cid = conference.conference_id
    join = conference.join
    assert join.browser_url == f"{sandbox.base_url}/conferences/{cid}"
    assert join.view_url == f"{sandbox.base_url}/conferences-view-mode/{cid}"
    assert (join.page_url, join.app_deeplink, join.android_intent) == ("", "", "")
    assert (join.sip, join.sip_external, join.h323) == ((), "", ())


async def test_public_url_overrides_the_api_address(client: CallabaClient) -> None:
    backend = CallabaBackend(client, public_url="https://rooms.example.com/")

    conference = await backend.create(spec())

    assert conference.join.browser_url.startswith("https://rooms.example.com/conferences/")


async def test_an_instant_room_is_active_at_once(
    backend: CallabaBackend, sandbox: CallabaSandbox
) -> None:
    conference = await backend.create(spec(schedule=Instant()))

    assert conference.is_running
    assert sandbox.state.rooms()[conference.conference_id]["active"] is True


async def test_get_reads_get_by_id_whose_answer_has_no_id(
    backend: CallabaBackend, sandbox: CallabaSandbox
) -> None:
    created = await backend.create(spec("Retro"))

    got = await backend.get(created.conference_id)

    assert (got.conference_id, got.topic, got.state) == (created.conference_id, "Retro", "stopped")
    assert got.join == created.join
    [call] = sandbox.state.log("getById")
    assert (call.method, call.body) == ("POST", {"id": created.conference_id})


async def test_update_changes_the_room_but_not_its_switch(
    backend: CallabaBackend, sandbox: CallabaSandbox
) -> None:
    created = await backend.create(spec("Old", schedule=Instant()))

    await backend.edit(created.conference_id, spec("New"), frozenset({EditField.TOPIC}))
    # A new time alone is the bridge's ledger, not the room's: no request.
    await backend.edit(created.conference_id, spec("New"), frozenset({EditField.SCHEDULE}))

    assert sandbox.state.rooms()[created.conference_id]["name"] == "New"
    assert sandbox.state.rooms()[created.conference_id]["active"] is True
    [call] = sandbox.state.log("update")
    assert call.body["id"] == created.conference_id
    assert "active" not in call.body


async def test_set_active_start_and_stop_switch_the_room(
    backend: CallabaBackend, sandbox: CallabaSandbox
) -> None:
    cid = (await backend.create(spec())).conference_id

    await backend.set_active(cid, True)
    assert sandbox.state.rooms()[cid]["active"] is True
    assert await backend.stop(cid) == "stopped"
    assert sandbox.state.rooms()[cid]["active"] is False
    assert await backend.start(cid) == "running"
    assert (await backend.get(cid)).is_running
    assert [c.body for c in sandbox.state.log("update")] == [
        {"id": cid, "active": True},
        {"id": cid, "active": False},
        {"id": cid, "active": True},
    ]


async def test_stopping_a_closed_room_is_refused_as_not_running(
    backend: CallabaBackend, sandbox: CallabaSandbox
) -> None:
    cid = (await backend.create(spec())).conference_id  # scheduled: created closed

    with pytest.raises(BackendError) as refused:
        await backend.stop(cid)

    assert refused.value.refusal is Refusal.NOT_RUNNING
    assert sandbox.state.log("update") == []


async def test_remove_deletes_and_a_second_remove_is_not_found(
    backend: CallabaBackend, sandbox: CallabaSandbox
) -> None:
    cid = (await backend.create(spec())).conference_id

    await backend.delete(cid)

    assert sandbox.state.rooms() == {}
    [call] = sandbox.state.log("remove")
    assert (call.method, call.body, call.status) == ("DELETE", {"id": cid}, 200)
    with pytest.raises(BackendError) as missing:
        await backend.delete(cid)
    assert (missing.value.reason, missing.value.status) == ("conferenceNotFound", 404)


async def test_get_all_lists_every_room(client: CallabaClient, backend: CallabaBackend) -> None:
    first = await backend.create(spec("One"))
    second = await backend.create(spec("Two", Weekly(frozenset({Weekday.MONDAY}), time(10), "UTC")))

    rooms = await client.get_all()

    assert [r["_id"] for r in rooms] == [first.conference_id, second.conference_id]
    assert {r["name"] for r in rooms} == {"One", "Two"}
    await backend.check_credentials()  # the same read proves the token


async def test_unknown_room_is_conference_not_found(backend: CallabaBackend) -> None:
    with pytest.raises(BackendError) as caught:
        await backend.get("0123456789abcdef01234567")
    assert caught.value.reason == "conferenceNotFound"


async def test_a_refused_token_is_an_auth_error_without_the_token(
    http: httpx.AsyncClient, sandbox: CallabaSandbox
) -> None:
    wrong = "wrong-token-value-1234"
    client = CallabaClient(http, SecretStr(wrong))

    with pytest.raises(BackendAuthError) as caught:
        await client.get_all()

    assert (caught.value.reason, caught.value.status) == ("callabaTokenRefused", 401)
    assert wrong not in str(caught.value)
    assert wrong not in repr(client)
    assert sandbox.token not in repr(client)
    assert [c.token for c in sandbox.state.log()] == [False]


async def test_sandbox_wants_the_token_header(http: httpx.AsyncClient) -> None:
    answer = await http.post("/api/conferences/getAll")

    assert answer.status_code == 403
    assert answer.json() == {"message": "No token provided!"}


async def test_invalid_fields_are_invalid_request_with_the_servers_words(
    client: CallabaClient,
) -> None:
    with pytest.raises(BackendError) as caught:
        await client.create({"name": " ", "active": True})
    assert (caught.value.reason, caught.value.status) == ("invalidRequest", 400)
    assert "name is required" in caught.value.detail

    with pytest.raises(BackendError) as bad_id:
        await client.get_by_id("12")
    assert bad_id.value.reason == "invalidRequest"


async def test_reads_and_updates_are_retried_on_5xx(
    backend: CallabaBackend, sandbox: CallabaSandbox, sleeps: SleepRecorder
) -> None:
    cid = (await backend.create(spec())).conference_id
    sandbox.state.inject(Failure(count=2, action="getById", status=503))
    sandbox.state.inject(Failure(count=1, action="update", raw=b"<html>bad gateway</html>"))

    assert (await backend.get(cid)).conference_id == cid
    await backend.set_active(cid, True)

    assert len(sandbox.state.log("getById")) == 3
    assert len(sandbox.state.log("update")) == 2
    assert len(sleeps.delays) == 3


async def test_create_is_never_retried(
    backend: CallabaBackend, sandbox: CallabaSandbox, sleeps: SleepRecorder
) -> None:
    sandbox.state.inject(Failure(action="create", status=502))

    with pytest.raises(BackendError) as caught:
        await backend.create(spec())

    assert caught.value.reason == "serviceUnavailable"
    assert len(sandbox.state.log("create")) == 1
    assert sleeps.delays == []
    assert sandbox.state.rooms() == {}


async def test_retries_give_up_with_the_last_error(
    backend: CallabaBackend, sandbox: CallabaSandbox
) -> None:
    sandbox.state.inject(Failure(count=5, action="getAll", status=500, body={"error": "boom"}))

    with pytest.raises(BackendError) as caught:
        await backend.check_credentials()

    assert (caught.value.reason, caught.value.detail) == ("serverError", "boom")
    assert len(sandbox.state.log("getAll")) == 3


async def test_answers_that_are_not_json_or_not_rooms_are_invalid_responses(
    client: CallabaClient, sandbox: CallabaSandbox
) -> None:
    sandbox.state.inject(Failure(action="getAll", status=200, raw=b"<html>login</html>"))
    with pytest.raises(BackendError) as not_json:
        await client.get_all()
    assert not_json.value.reason == "invalidResponse"

    sandbox.state.inject(Failure(action="create", status=200, body={"name": "no id"}))
    with pytest.raises(BackendError) as no_id:
        await client.create({"name": "x", "active": False})
    assert no_id.value.reason == "invalidResponse"

    sandbox.state.inject(Failure(action="remove", status=200, body={"success": False}))
    with pytest.raises(BackendError) as unconfirmed:
        await client.remove("0123456789abcdef01234567")
    assert unconfirmed.value.reason == "serverError"


async def test_a_slow_server_is_a_timeout(sandbox: CallabaSandbox) -> None:
    sandbox.state.latency = 1.0
    async with build_http_client(sandbox.base_url, timeout=0.1) as http:
        client = CallabaClient(http, SecretStr(sandbox.token), retry_attempts=1)
        with pytest.raises(BackendUnavailable) as caught:
            await client.get_all()
    assert caught.value.reason == "timeout"


async def test_no_server_is_unreachable() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with build_http_client(f"http://127.0.0.1:{port}", timeout=2.0) as http:
        client = CallabaClient(http, SecretStr("t"), retry_attempts=2, sleep=SleepRecorder())
        with pytest.raises(BackendUnavailable) as caught:
            await client.get_all()
    assert caught.value.reason == "unreachable"


async def test_what_callaba_lacks_it_does_not_offer(backend: CallabaBackend) -> None:
    # Asked, not tried: no invitations (so no accounts), and the bridge times its rooms.
    assert backend.invitations is None
    assert backend.guests is backend
    assert backend.activation is backend
    assert features_of(backend) == BackendFeatures(accounts=False, schedules=False, guests=True)
    assert not hasattr(backend, "add_invitations")
    assert not hasattr(backend, "invite_now")


async def test_guest_access_is_the_lasting_speaker_link(backend: CallabaBackend) -> None:
    conference = await backend.create(spec())

    access = await backend.guest_access(conference.conference_id, "Jane")

    assert access.browser_url == conference.join.browser_url
    assert access.expires is False


def test_every_reason_has_a_sentence_in_both_languages() -> None:
    for reason in REASONS:
        texts = CATALOG[f"backend.{REFUSALS[reason].value}"]
        assert texts["en"]
        assert texts["ru"]


async def test_the_sandbox_answers_json_nested_past_the_decoders_depth_with_a_400(
    http: httpx.AsyncClient, sandbox: CallabaSandbox
) -> None:
    answer = await http.post(
        "/api/conferences/create",
        content=b"[" * 100_000,
        headers={"Content-Type": "application/json", "x-access-token": sandbox.token},
    )
    assert answer.status_code == 400, answer.text
