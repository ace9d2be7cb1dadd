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
from bot.errors import Refusal
from bot.schedule import Instant, Once
from tests.fakes import FakeBackend
from tests.support.server_contract import Contract, outcome

Server = FakeBackend | TrueConfBackend
Case = Callable[[Server, FrozenClock], Awaitable[None]]
CONFERENCES = Contract({"invitee_logins": ("alice",)})


# The clock fixture stands at 2026-03-02 09:00 UTC: a start a day before it.
_PAST = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


async def _invite(server: Server, clock: FrozenClock, login: str, **spec: object) -> None:
    cid = (await server.create(CONFERENCES.spec(clock, **spec))).conference_id
    await server.add_invitations(cid, [login])


async def _uninvite(server: Server, clock: FrozenClock, login: str, **spec: object) -> None:
    cid = (await server.create(CONFERENCES.spec(clock, **spec))).conference_id
    await server.remove_invitation(cid, login)


async def _start_finished(server: Server, clock: FrozenClock) -> None:
    past = Once(clock.now() - timedelta(hours=2), "UTC")
    await server.start((await server.create(CONFERENCES.spec(clock, schedule=past))).conference_id)


async def _call_into_stopped(server: Server, clock: FrozenClock) -> None:
    # Calling people into a stopped conference starts it, so it can be stopped.
    cid = await CONFERENCES.scheduled(server, clock)
    await server.invite_now(cid, ["alice"])
    await server.stop(cid)


def _with(run: Callable[..., Awaitable[None]], *args: object, **spec: object) -> Case:
    async def bound(server: Server, clock: FrozenClock) -> None:
        await run(server, clock, *args, **spec)

    return bound


CASES: dict[str, tuple[Case, Refusal | None]] = {
    **CONFERENCES.lifecycle(
        "conference",
        delete_running=Refusal.RUNNING,
        rename_running=Refusal.LOCKED_WHILE_RUNNING,
    ),
    "invite into a deleted conference": (
        CONFERENCES.on_deleted(lambda s, c: s.add_invitations(c, ["bob"])),
        Refusal.NOT_FOUND,
    ),
    "uninvite from a deleted conference": (
        CONFERENCES.on_deleted(lambda s, c: s.remove_invitation(c, "alice")),
        Refusal.NOT_FOUND,
    ),
    "call people into a deleted conference": (
        CONFERENCES.on_deleted(lambda s, c: s.invite_now(c, ["bob"])),
        Refusal.NOT_FOUND,
    ),
    "start a finished one-time conference": (_start_finished, Refusal.FINISHED),
    "start in a past one-time conference": (CONFERENCES.create(schedule=Once(_PAST, "UTC")), None),
    "call people into a stopped conference": (_call_into_stopped, None),
    "create with a topic of 240": (CONFERENCES.create(topic="x" * 240), None),
    "create with a topic of 241": (CONFERENCES.create(topic="x" * 241), Refusal.INVALID_REQUEST),
    "create with an empty topic": (CONFERENCES.create(topic=""), Refusal.INVALID_REQUEST),
    "rename to a topic of 241": (CONFERENCES.rename("x" * 241), Refusal.INVALID_REQUEST),
    "create lasting less than nothing": (
        CONFERENCES.create(duration=timedelta(minutes=-5)),
        Refusal.INVALID_REQUEST,
    ),
    "create with a PIN of 65": (CONFERENCES.create(pin="1" * 65), Refusal.INVALID_REQUEST),
    "create for 250 participants": (CONFERENCES.create(max_participants=250), None),
    "create for 251 participants": (
        CONFERENCES.create(max_participants=251),
        Refusal.INVALID_REQUEST,
    ),
    "create for no participants": (CONFERENCES.create(max_participants=0), Refusal.INVALID_REQUEST),
    "create inviting more than its limit": (
        CONFERENCES.create(max_participants=2, invitee_logins=("alice", "bob")),
        Refusal.INVITATION_LIMIT,
    ),
    "create owned by nobody on the server": (
        CONFERENCES.create(owner_login="ghost"),
        Refusal.NO_SUCH_USER,
    ),
    "create inviting nobody on the server": (
        CONFERENCES.create(invitee_logins=("alice", "ghost")),
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


@pytest.mark.parametrize("case", sorted(CASES))
async def test_the_fake_ends_each_case_as_the_sandbox_does(
    server: Server, clock: FrozenClock, case: str
) -> None:
    run, expected = CASES[case]
    assert await outcome(run(server, clock)) is expected
