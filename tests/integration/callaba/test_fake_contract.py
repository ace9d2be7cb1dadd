"""The core's in-memory Callaba (tests/fakes.py) refuses what the sandbox
refuses: each case runs against both and must end the same way, with the same
refusal, so a unit test cannot pass on what the server would reject."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest

from adapters.callaba.backend import CallabaBackend
from bot.clock import FrozenClock
from bot.errors import Refusal
from bot.meeting import EditField
from bot.schedule import Once
from tests.fakes import FakeCallaba
from tests.support.server_contract import Contract, outcome

Server = FakeCallaba | CallabaBackend
ROOMS = Contract({})


async def _open_missing(server: Server, clock: FrozenClock) -> None:
    cid = await ROOMS.scheduled(server, clock)
    await server.delete(cid)
    await server.set_active(cid, True)


async def _move_missing(server: Server, clock: FrozenClock) -> None:
    # A new time is the ledger's, not the room's: nothing asks the server.
    cid = await ROOMS.scheduled(server, clock)
    await server.delete(cid)
    later = Once(clock.now() + timedelta(days=2), "UTC")
    await server.edit(cid, ROOMS.spec(clock, schedule=later), frozenset({EditField.SCHEDULE}))


CASES: dict[str, tuple[Callable[[Server, FrozenClock], Awaitable[None]], Refusal | None]] = {
    **ROOMS.lifecycle("room", delete_running=None, rename_running=None),
    "move a deleted room": (_move_missing, None),
    "open a deleted room": (_open_missing, Refusal.NOT_FOUND),
    "create named in 255 characters": (ROOMS.create(topic="x" * 255), None),
    "create named in 256 characters": (ROOMS.create(topic="x" * 256), Refusal.INVALID_REQUEST),
    "create named in blanks": (ROOMS.create(topic="   "), Refusal.INVALID_REQUEST),
    "rename to 256 characters": (ROOMS.rename("x" * 256), Refusal.INVALID_REQUEST),
}


@pytest.fixture(params=["fake", "sandbox"])
def server(request: pytest.FixtureRequest, backend: CallabaBackend) -> Server:
    return backend if request.param == "sandbox" else FakeCallaba()


@pytest.mark.parametrize("case", sorted(CASES))
async def test_the_fake_ends_each_case_as_the_sandbox_does(
    server: Server, clock: FrozenClock, case: str
) -> None:
    run, expected = CASES[case]
    assert await outcome(run(server, clock)) is expected
