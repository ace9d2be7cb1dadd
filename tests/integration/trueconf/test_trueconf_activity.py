"""Who is in, the call logs and the records, over real HTTP against the
sandbox, shaped as the reference shows them: the live card's and the
summary's source on TrueConf."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from adapters.trueconf.activity import log_time, record_from_json
from adapters.trueconf.backend import TrueConfBackend
from adapters.trueconf.client import TrueConfClient
from adapters.trueconf.sandbox import SandboxServer
from bot.clock import FrozenClock
from bot.errors import BackendError, Refusal
from bot.live.model import Activity, Participant
from bot.meeting import ConferenceSpec
from bot.schedule import Instant

ALICE, BOB = Participant("Alice Archer"), Participant("Bob Baker")


def _spec() -> ConferenceSpec:
    return ConferenceSpec(
        topic="Sync",
        owner_login="carol",
        invitee_logins=("alice",),
        schedule=Instant(),
        duration=timedelta(minutes=30),
    )


async def test_who_is_in_a_running_conference_and_nobody_in_a_stopped_one(
    backend: TrueConfBackend, sandbox: SandboxServer
) -> None:
    cid = (await backend.create(_spec())).conference_id  # started at once
    await backend.stop(cid)
    assert await backend.present(cid) == Activity(running=False)
    sandbox.state.clear_log()
    await backend.start(cid)
    sandbox.state.join(cid, "alice")
    guest = sandbox.state.join_guest(cid, "Visitor")
    present = await backend.present(cid)
    assert present.running
    assert present.participants == (ALICE, Participant("Visitor", guest=True))
    sandbox.state.leave(cid, guest)
    assert (await backend.present(cid)).participants == (ALICE,)
    # Two requests a poll while it runs: the conference, then who is in.
    endpoints = [e.endpoint for e in sandbox.state.request_log if "token" not in e.endpoint]
    assert endpoints.count("GET /conferences/{id}/participants") == 2


async def test_the_call_log_tells_each_run_with_everyone_who_came_and_left(
    backend: TrueConfBackend, sandbox: SandboxServer, clock: FrozenClock
) -> None:
    cid = (await backend.create(_spec())).conference_id  # its run starts now
    started = clock.now()
    sandbox.state.join(cid, "alice")
    clock.advance(timedelta(minutes=5))
    sandbox.state.join(cid, "bob")  # came and went between two polls
    sandbox.state.leave(cid, "bob")
    sandbox.state.join_guest(cid, "Visitor")
    clock.advance(timedelta(minutes=37))
    await backend.stop(cid)
    sandbox.state.add_record(cid, f"{cid}_sync.mkv")
    [call] = await backend.calls(cid, started - timedelta(minutes=1))
    assert "#vcs" in call.session_id  # ids with @ and # travel encoded
    assert call.started == started
    assert call.ended == started + timedelta(minutes=42)
    assert call.participants == (ALICE, BOB, Participant("Visitor", guest=True))
    assert await backend.calls(cid, started + timedelta(minutes=1)) == []  # an older run
    [record] = await backend.recordings(cid)
    assert record.name == f"{cid}_sync.mkv"
    assert record.url == ""  # the download needs the API's token: not for people
    assert record.created == started + timedelta(minutes=42)


async def test_a_gone_conference_is_not_found(backend: TrueConfBackend) -> None:
    with pytest.raises(BackendError) as refused:
        await backend.present("0000000404")
    assert refused.value.refusal is Refusal.NOT_FOUND


def test_log_times_in_every_form_the_reference_shows() -> None:
    moment = datetime(2018, 4, 11, 14, 17, 43, 649296, tzinfo=UTC)
    london = {"date": "2018-04-11 15:17:43.649296", "timezone_type": 3, "timezone": "Europe/London"}
    assert log_time(london) == moment
    assert log_time("2018-04-11 14:17:43.649296") == moment
    assert log_time(1523456263) == datetime.fromtimestamp(1523456263, UTC)
    for unknown in (
        None,
        "",
        "yesterday",
        {"date": 5},
        True,
        {"date": "2018-04-11 15:17:43", "timezone": "Mars/Base"},
    ):
        got = log_time(unknown)
        assert got is None or got.tzinfo is not None


async def test_a_running_session_and_its_people_as_the_reference_shapes_them(
    backend: TrueConfBackend, client: TrueConfClient, sandbox: SandboxServer
) -> None:
    cid = (await backend.create(_spec())).conference_id  # started at once: owner carol
    sandbox.state.join(cid, "carol")
    sandbox.state.join_guest(cid, "Visitor")
    [log] = await client.call_logs(cid)
    session = log["conference_id"]
    answer = (await client.request("GET", "conference-sessions", session)).json()["session"]
    assert answer["stream_id"] == session
    assert answer["conference_id"] == cid
    people = (await client.request("GET", "conference-sessions", session, "participants")).json()
    assert people["count"] == len(people["participants"]) == 2
    roles = {p["display_name"]: p["role"] for p in people["participants"]}
    assert roles == {"Carol Cooper": 2, "Visitor": 0}  # the owner hosts
    await backend.stop(cid)
    # Reachable only while the conference runs; a stranger's id is not found.
    for unknown in (session, "nobody@host#vcs", "../../users"):
        with pytest.raises(BackendError) as refused:
            await client.request("GET", "conference-sessions", unknown, "participants")
        assert refused.value.refusal is Refusal.SESSION_NOT_FOUND


@pytest.mark.parametrize("value", [10**20, 1e300, float("nan"), -(10**15)])
def test_a_time_no_datetime_holds_is_unknown_not_an_error(value: float) -> None:
    assert log_time(value) is None
    assert record_from_json({"name": "r.mp4", "created": value}).created is None
