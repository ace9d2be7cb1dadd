"""The core's in-memory TrueConf (tests/fakes.py) refuses what the sandbox
refuses: each case runs against both and must end the same way, with the same
refusal, so a unit test cannot pass on what the server would reject."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import pytest

from adapters.trueconf.backend import TrueConfBackend
from adapters.trueconf.sandbox.records import DEFAULT_USERS
from bot.clock import FrozenClock
from bot.errors import BackendError, Refusal
from bot.meeting import ConferenceSpec, EditField
from bot.schedule import Instant, Once
from tests.fakes import FakeBackend

Server = FakeBackend | TrueConfBackend
Case = Callable[[Server, FrozenClock], Awaitable[None]]


# The clock fixture stands at 2026-03-02 09:00 UTC: a start a day before it.
_PAST = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def _spec(clock: FrozenClock, **changes: object) -> ConferenceSpec:
    values: dict[str, object] = {
        "topic": "Review",
        "owner_login": "carol",
        "invitee_logins": ("alice",),
        "schedule": Once(clock.now() + timedelta(days=1), "UTC"),
        "duration": timedelta(minutes=45),
    }
    values.update(changes)
    return ConferenceSpec(**values)  # type: ignore[arg-type]


async def _scheduled(server: Server, clock: FrozenClock) -> str:
    return (await server.create(_spec(clock))).conference_id


async def _running(server: Server, clock: FrozenClock) -> str:
    return (await server.create(_spec(clock, schedule=Instant()))).conference_id


async def _stop_stopped(server: Server, clock: FrozenClock) -> None:
    await server.stop(await _scheduled(server, clock))


async def _stop_twice(server: Server, clock: FrozenClock) -> None:
    cid = await _running(server, clock)
    await server.stop(cid)
    await server.stop(cid)


async def _stop_running(server: Server, clock: FrozenClock) -> None:
    await server.stop(await _running(server, clock))


async def _start_running(server: Server, clock: FrozenClock) -> None:
    await server.start(await _running(server, clock))


async def _delete_running(server: Server, clock: FrozenClock) -> None:
    await server.delete(await _running(server, clock))


async def _delete_missing(server: Server, clock: FrozenClock) -> None:
    cid = await _scheduled(server, clock)
    await server.delete(cid)
    await server.delete(cid)


async def _edit_missing(server: Server, clock: FrozenClock) -> None:
    cid = await _scheduled(server, clock)
    await server.delete(cid)
    await server.edit(cid, _spec(clock, topic="New"), frozenset({EditField.TOPIC}))


async def _rename_running(server: Server, clock: FrozenClock) -> None:
    cid = await _running(server, clock)
    await server.edit(cid, _spec(clock, topic="New"), frozenset({EditField.TOPIC}))


async def _invite(server: Server, clock: FrozenClock, login: str, **spec: object) -> None:
    cid = (await server.create(_spec(clock, **spec))).conference_id
    await server.add_invitations(cid, [login])


async def _uninvite(server: Server, clock: FrozenClock, login: str, **spec: object) -> None:
    cid = (await server.create(_spec(clock, **spec))).conference_id
    await server.remove_invitation(cid, login)


async def _start_finished(server: Server, clock: FrozenClock) -> None:
    past = Once(clock.now() - timedelta(hours=2), "UTC")
    await server.start((await server.create(_spec(clock, schedule=past))).conference_id)


async def _rename_too_long(server: Server, clock: FrozenClock) -> None:
    cid = await _scheduled(server, clock)
    await server.edit(cid, _spec(clock, topic="x" * 241), frozenset({EditField.TOPIC}))


async def _call_into_stopped(server: Server, clock: FrozenClock) -> None:
    # Calling people into a stopped conference starts it, so it can be stopped.
    cid = await _scheduled(server, clock)
    await server.invite_now(cid, ["alice"])
    await server.stop(cid)


def _on_deleted(call: Callable[[Server, str], Awaitable[object]]) -> Case:
    async def run(server: Server, clock: FrozenClock) -> None:
        cid = await _scheduled(server, clock)
        await server.delete(cid)
        await call(server, cid)

    return run


def _create(**spec: object) -> Case:
    async def run(server: Server, clock: FrozenClock) -> None:
        await server.create(_spec(clock, **spec))

    return run


def _with(run: Callable[..., Awaitable[None]], *args: object, **spec: object) -> Case:
    async def bound(server: Server, clock: FrozenClock) -> None:
        await run(server, clock, *args, **spec)

    return bound


CASES: dict[str, tuple[Case, Refusal | None]] = {
    "stop a scheduled conference": (_stop_stopped, Refusal.NOT_RUNNING),
    "stop a stopped conference": (_stop_twice, Refusal.NOT_RUNNING),
    "stop a running conference": (_stop_running, None),
    "start a running conference": (_start_running, None),
    "delete a running conference": (_delete_running, Refusal.RUNNING),
    "delete a deleted conference": (_delete_missing, Refusal.NOT_FOUND),
    "edit a deleted conference": (_edit_missing, Refusal.NOT_FOUND),
    "read a deleted conference": (_on_deleted(lambda s, c: s.get(c)), Refusal.NOT_FOUND),
    "start a deleted conference": (_on_deleted(lambda s, c: s.start(c)), Refusal.NOT_FOUND),
    "stop a deleted conference": (_on_deleted(lambda s, c: s.stop(c)), Refusal.NOT_FOUND),
    "invite into a deleted conference": (
        _on_deleted(lambda s, c: s.add_invitations(c, ["bob"])),
        Refusal.NOT_FOUND,
    ),
    "uninvite from a deleted conference": (
        _on_deleted(lambda s, c: s.remove_invitation(c, "alice")),
        Refusal.NOT_FOUND,
    ),
    "call people into a deleted conference": (
        _on_deleted(lambda s, c: s.invite_now(c, ["bob"])),
        Refusal.NOT_FOUND,
    ),
    "a guest link to a deleted conference": (
        _on_deleted(lambda s, c: s.guest_access(c, "Guest")),
        Refusal.NOT_FOUND,
    ),
    "rename a running conference": (_rename_running, Refusal.LOCKED_WHILE_RUNNING),
    "start a finished one-time conference": (_start_finished, Refusal.FINISHED),
    "start in a past one-time conference": (_create(schedule=Once(_PAST, "UTC")), None),
    "call people into a stopped conference": (_call_into_stopped, None),
    "create with a topic of 240": (_create(topic="x" * 240), None),
    "create with a topic of 241": (_create(topic="x" * 241), Refusal.INVALID_REQUEST),
    "create with an empty topic": (_create(topic=""), Refusal.INVALID_REQUEST),
    "rename to a topic of 241": (_rename_too_long, Refusal.INVALID_REQUEST),
    "create lasting less than nothing": (
        _create(duration=timedelta(minutes=-5)),
        Refusal.INVALID_REQUEST,
    ),
    "create with a PIN of 65": (_create(pin="1" * 65), Refusal.INVALID_REQUEST),
    "create for 250 participants": (_create(max_participants=250), None),
    "create for 251 participants": (_create(max_participants=251), Refusal.INVALID_REQUEST),
    "create for no participants": (_create(max_participants=0), Refusal.INVALID_REQUEST),
    "create inviting more than its limit": (
        _create(max_participants=2, invitee_logins=("alice", "bob")),
        Refusal.INVITATION_LIMIT,
    ),
    "create owned by nobody on the server": (_create(owner_login="ghost"), Refusal.NO_SUCH_USER),
    "create inviting nobody on the server": (
        _create(invitee_logins=("alice", "ghost")),
        Refusal.NO_SUCH_USER,
    ),
    "invite nobody on the server": (_with(_invite, "ghost"), Refusal.NO_SUCH_USER),
    "invite beyond its limit": (
        _with(_invite, "bob", max_participants=2),
        Refusal.INVITATION_LIMIT,
    ),
    "invite someone invited": (_with(_invite, "alice"), None),
    "uninvite someone invited": (_with(_uninvite, "alice"), None),
    # The server has no such invitation: what the uninvite wanted, so not refused.
    "uninvite someone not invited": (_with(_uninvite, "bob"), None),
    "uninvite the owner": (_with(_uninvite, "carol"), Refusal.OWNER_NOT_INVITED),
    "uninvite from a running conference": (
        _with(_uninvite, "alice", schedule=Instant()),
        Refusal.RUNNING,
    ),
}


@pytest.fixture(params=["fake", "sandbox"])
def server(request: pytest.FixtureRequest, backend: TrueConfBackend, clock: FrozenClock) -> Server:
    if request.param == "sandbox":
        return backend
    return FakeBackend("trueconf", accounts=[u.login for u in DEFAULT_USERS], clock=clock)


async def _outcome(run: Awaitable[None]) -> Refusal | None:
    try:
        await run
    except BackendError as exc:
        return exc.refusal
    return None


@pytest.mark.parametrize("case", sorted(CASES))
async def test_the_fake_ends_each_case_as_the_sandbox_does(
    server: Server, clock: FrozenClock, case: str
) -> None:
    run, expected = CASES[case]
    assert await _outcome(run(server, clock)) is expected
