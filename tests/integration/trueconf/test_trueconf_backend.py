"""TrueConfBackend as the core uses it, against the sandbox, counting requests."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any
from urllib.parse import quote

import pytest

from adapters.trueconf.backend import TrueConfBackend
from adapters.trueconf.sandbox import SandboxServer
from adapters.trueconf.sandbox.controls import InjectedFailure
from bot.clock import FrozenClock
from bot.errors import BackendError, Refusal
from bot.meeting import ConferenceSpec, EditField
from bot.schedule import Instant, Once, Weekday, Weekly
from bot.timerules import next_weekly_occurrence


def _api_calls(sandbox: SandboxServer) -> list[str]:
    return [e.endpoint for e in sandbox.state.request_log if not e.endpoint.endswith("/token")]


# The sandbox clock's next day (the fixture clock stands at 2026-03-02 09:00 UTC).
TOMORROW = Once(datetime(2026, 3, 3, 9, 0, tzinfo=UTC), "Europe/Moscow")


def _spec(schedule: Instant | Once | Weekly | None = None, **changes: object) -> ConferenceSpec:
    values: dict[str, object] = {
        "topic": "Design review",
        "owner_login": "carol",
        "invitee_logins": ("alice", "bob"),
        "schedule": schedule or TOMORROW,
        "duration": timedelta(minutes=45),
    }
    values.update(changes)
    return ConferenceSpec(**values)  # type: ignore[arg-type]


async def test_create_once_is_one_request_with_owner_first(
    backend: TrueConfBackend, sandbox: SandboxServer, clock: FrozenClock
) -> None:
    start = clock.now() + timedelta(days=1)
    conference = await backend.create(
        _spec(Once(start, "Europe/Berlin"), invitee_logins=("alice", "carol", "bob", "alice"))
    )
    assert _api_calls(sandbox) == ["POST /conferences"]
    stored = sandbox.state.raw_conference(conference.conference_id)
    assert stored is not None
    assert stored["invitations"] == ["carol", "alice", "bob"]
    assert stored["schedule"] == {"type": 1, "start_time": int(start.timestamp()), "duration": 2700}
    assert stored["auto_invite"] == 1
    assert conference.next_start == start
    assert conference.invited_logins == ("carol", "alice", "bob")
    assert len(conference.conference_id) == 10
    assert conference.conference_id.isdigit()


async def test_owner_is_invited_even_when_nobody_else_is(
    backend: TrueConfBackend, sandbox: SandboxServer
) -> None:
    conference = await backend.create(_spec(invitee_logins=()))
    assert sandbox.state.raw_conference(conference.conference_id)["invitations"] == ["carol"]  # type: ignore[index]


async def test_join_info_comes_from_the_server(
    backend: TrueConfBackend, sandbox: SandboxServer
) -> None:
    conference = await backend.create(_spec(Instant()))
    cid, host = conference.conference_id, sandbox.base_url.removeprefix("http://")
    join = conference.join
    assert join.page_url == f"https://{host}/c/{cid}"
    assert join.browser_url == f"https://{host}/webrtc/{cid}"
    assert join.app_deeplink == f"trueconf:\\c\\{cid}@127.0.0.1%23vcs&h=127.0.0.1"
    assert "\\\\" not in join.app_deeplink  # decoded JSON, not copied backslashes
    assert join.android_intent.startswith(f"intent:\\c\\{cid}%40127.0.0.1%23vcs")
    # The server's intent, with the browser link where the app is missing.
    fallback = quote(join.browser_url, safe="")
    assert join.android_intent.endswith(
        "#Intent;scheme=trueconf;package=com.trueconf.videochat;"
        f"S.browser_fallback_url={fallback};end"
    )
    assert join.sip == (f"00{cid}@127.0.0.1",)
    assert join.h323 == (f"127.0.0.1##00{cid}",)
    assert join.sip_external == ""
    assert conference.next_start is None


async def test_pin_and_participant_limit_are_sent(
    backend: TrueConfBackend, sandbox: SandboxServer
) -> None:
    conference = await backend.create(_spec(pin="4321", max_participants=5, auto_invite=False))
    stored = sandbox.state.raw_conference(conference.conference_id)
    assert stored is not None
    assert (stored["pin"], stored["max_participants"], stored["auto_invite"]) == ("4321", 5, 0)
    assert conference.pin == "4321"


async def test_weekly_rule_crossing_midnight_moves_the_days(
    backend: TrueConfBackend, sandbox: SandboxServer, clock: FrozenClock
) -> None:
    # Monday and Wednesday 01:30 in Tokyo (UTC+9) are Sunday and Tuesday 19:30 in Moscow (UTC+3).
    rule = Weekly(frozenset({Weekday.MONDAY, Weekday.WEDNESDAY}), time(1, 30), "Asia/Tokyo")
    conference = await backend.create(_spec(rule, duration=timedelta(minutes=30)))
    stored = sandbox.state.raw_conference(conference.conference_id)
    assert stored is not None
    assert stored["schedule"] == {
        "type": 0,
        "days": ["tuesday", "sunday"],
        "time": "19:30",
        "duration": 1800,
    }
    assert conference.server_time_offset_minutes == 180
    assert conference.next_start == next_weekly_occurrence(rule, clock.now())


async def test_edit_is_one_put_of_the_changed_fields_and_refused_while_running(
    backend: TrueConfBackend, sandbox: SandboxServer
) -> None:
    conference = await backend.create(_spec())
    editing = backend.editing
    await editing.edit(
        conference.conference_id,
        _spec(topic="Renamed", invitee_logins=("dave",)),
        frozenset({EditField.TOPIC}),
    )
    raw = sandbox.state.raw_conference(conference.conference_id)
    assert raw is not None
    assert raw["topic"] == "Renamed"
    assert raw["invitations"] == ["carol", "alice", "bob"]  # not changed: no "dave"
    assert _api_calls(sandbox) == ["POST /conferences", "PUT /conferences/{id}"]
    assert [e.method for e in sandbox.state.request_log if e.method == "PUT"] == ["PUT"]
    await backend.start(conference.conference_id)
    with pytest.raises(BackendError) as raised:
        await editing.edit(
            conference.conference_id, _spec(topic="Again"), frozenset({EditField.TOPIC})
        )
    assert raised.value.reason == "conferenceFieldUnavailableForChange"
    assert raised.value.refusal is Refusal.LOCKED_WHILE_RUNNING
    assert backend.while_running == frozenset()


async def test_instant_conference_is_created_running_in_one_request(
    backend: TrueConfBackend, sandbox: SandboxServer
) -> None:
    conference = await backend.create(_spec(Instant()))

    assert conference.is_running
    assert _api_calls(sandbox) == ["POST /conferences"]
    raw = sandbox.state.raw_conference(conference.conference_id)
    assert raw is not None
    assert raw["state"] == "running"
    assert raw["schedule"] == {"type": -1}


async def test_start_stop_delete_lifecycle(backend: TrueConfBackend) -> None:
    cid = (await backend.create(_spec())).conference_id
    assert await backend.start(cid) in ("running", "starting")
    assert (await backend.get(cid)).is_running
    with pytest.raises(BackendError) as raised:
        await backend.delete(cid)
    assert raised.value.reason == "conferenceUnavailableForChange"
    assert await backend.stop(cid) in ("stopped", "stopping")
    with pytest.raises(BackendError) as raised:
        await backend.stop(cid)
    assert raised.value.reason == "conferenceIsNotRunning"
    await backend.delete(cid)
    with pytest.raises(BackendError) as raised:
        await backend.get(cid)
    assert raised.value.reason == "conferenceNotFound"


async def test_finished_one_time_conference_cannot_run(
    backend: TrueConfBackend, clock: FrozenClock
) -> None:
    cid = (await backend.create(_spec(Once(clock.now() + timedelta(hours=1), "UTC")))).conference_id
    clock.advance(timedelta(hours=2))
    with pytest.raises(BackendError) as raised:
        await backend.start(cid)
    assert raised.value.reason == "conferenceIsFinished"


async def test_invitations_add_and_remove(backend: TrueConfBackend, sandbox: SandboxServer) -> None:
    cid = (await backend.create(_spec(invitee_logins=()))).conference_id
    sandbox.state.clear_log()
    await backend.add_invitations(cid, ["dave", "helen", "dave"])
    assert _api_calls(sandbox) == ["POST /conferences/{id}/invitations"] * 2
    await backend.remove_invitation(cid, "dave")
    assert (await backend.get(cid)).invited_logins == ("carol", "helen")
    with pytest.raises(BackendError) as raised:
        await backend.add_invitations(cid, ["ghost"])
    assert raised.value.reason == "userNotFound"


async def _created_answering_a_delete_with(
    backend: TrueConfBackend, sandbox: SandboxServer, **failure: Any
) -> str:
    """A new conference whose next invitation delete the sandbox answers so."""
    cid = (await backend.create(_spec())).conference_id
    endpoint = "DELETE /conferences/{id}/invitations/{login}"
    sandbox.state.inject_failure(InjectedFailure(method="DELETE", endpoint=endpoint, **failure))
    return cid


@pytest.mark.parametrize(
    ("reason", "gone"),
    [("invitationNotFound", True), ("notFound", True), ("conferenceNotFound", False)],
)
async def test_an_invitation_the_server_has_no_more_counts_as_removed(
    backend: TrueConfBackend, sandbox: SandboxServer, reason: str, *, gone: bool
) -> None:
    """The API reference names no answer for an invitation that is not there:
    any 404 but the conference's own means it is gone, as was asked."""
    cid = await _created_answering_a_delete_with(
        backend, sandbox, status=404, reason=reason, message="Not found"
    )
    if gone:
        await backend.remove_invitation(cid, "alice")
    else:
        with pytest.raises(BackendError) as raised:
            await backend.remove_invitation(cid, "alice")
        assert raised.value.refusal is Refusal.NOT_FOUND


@pytest.mark.parametrize(
    ("raw", "body"),
    [(b"<html><body>404 Not Found</body></html>", None), (None, {"detail": "no such route"})],
)
async def test_a_404_that_is_not_the_servers_answer_keeps_the_invitation(
    backend: TrueConfBackend, sandbox: SandboxServer, raw: bytes | None, body: object
) -> None:
    """A 404 without the API's error envelope (a proxy's page, a path the
    server does not serve) says nothing of the invitation: it is refused,
    not taken as removed while the server still has the person."""
    cid = await _created_answering_a_delete_with(backend, sandbox, status=404, raw=raw, body=body)
    with pytest.raises(BackendError) as raised:
        await backend.remove_invitation(cid, "alice")
    assert raised.value.refusal is Refusal.INVALID_RESPONSE


async def test_invite_now_is_one_request(backend: TrueConfBackend, sandbox: SandboxServer) -> None:
    cid = (await backend.create(_spec())).conference_id
    await backend.start(cid)
    sandbox.state.clear_log()
    await backend.invite_now(cid, ["dave", "oncall"])
    assert _api_calls(sandbox) == ["POST /conferences/{id}/invite"]
    assert sandbox.state.raw_conference(cid)["called"] == ["dave", "oncall"]  # type: ignore[index]


async def test_guest_link_expires_after_a_minute(
    backend: TrueConfBackend, sandbox: SandboxServer, clock: FrozenClock
) -> None:
    cid = (await backend.create(_spec())).conference_id
    guest = await backend.guest_access(cid, "Ян Гость")
    assert guest.browser_url.startswith(
        f"{sandbox.base_url.replace('http', 'https')}/webrtc/{cid}#"
    )
    assert guest.app_deeplink.startswith(f"trueconf:\\c\\{cid}@")
    assert "templogin=1" in guest.app_deeplink
    assert guest.android_intent.endswith("package=com.trueconf.videochat;end")
    last = sandbox.state.request_log[-1]
    assert last.endpoint == "GET /software/clients"
    assert "user=%24" in last.query
    assert "case=join_conference_button" in last.query
    assert sandbox.state.guest_link_valid(guest.browser_url)
    clock.advance(timedelta(seconds=59))
    assert sandbox.state.guest_link_valid(guest.browser_url)
    clock.advance(timedelta(seconds=2))
    assert not sandbox.state.guest_link_valid(guest.browser_url)


@pytest.mark.usefixtures("sandbox")
async def test_user_directory(backend: TrueConfBackend) -> None:
    alice = await backend.find_by_login("alice")
    assert alice is not None
    assert (alice.login, alice.email) == ("alice", "alice@example.com")
    assert await backend.find_by_login("ghost") is None
    helen = await backend.find_by_email("Helen@Example.com")
    assert helen is not None
    assert helen.login == "helen"
    assert await backend.find_by_email("ghost@example.com") is None
    assert backend.name == "trueconf"


def test_wrong_server_zone_fails_fast(backend: TrueConfBackend, clock: FrozenClock) -> None:
    with pytest.raises(ValueError, match="Mars"):
        TrueConfBackend(backend.client, server_zone="Mars/Olympus", clock=clock)
