"""The core's in-memory Callaba (tests/fakes.py) refuses what the sandbox
refuses: each case runs against both and must end the same way, with the same
refusal, so a unit test cannot pass on what the server would reject."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest

from adapters.callaba.backend import CallabaBackend
from bot.clock import FrozenClock
from bot.errors import BackendError, Refusal
from bot.meeting import ConferenceSpec, EditField
from bot.schedule import Instant, Once
from tests.fakes import FakeCallaba

Server = FakeCallaba | CallabaBackend
Case = Callable[[Server, FrozenClock], Awaitable[None]]


def _spec(clock: FrozenClock, **changes: object) -> ConferenceSpec:
    values: dict[str, object] = {
        "topic": "Review",
        "owner_login": "carol",
        "invitee_logins": (),
        "schedule": Once(clock.now() + timedelta(days=1), "UTC"),
        "duration": timedelta(minutes=45),
    }
    values.update(changes)
    return ConferenceSpec(**values)  # type: ignore[arg-type]


async def _scheduled(server: Server, clock: FrozenClock) -> str:
    return (await server.create(_spec(clock))).conference_id


async def _running(server: Server, clock: FrozenClock) -> str:
    return (await server.create(_spec(clock, schedule=Instant()))).conference_id


async def _stop_scheduled(server: Server, clock: FrozenClock) -> None:
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


async def _rename_missing(server: Server, clock: FrozenClock) -> None:
    cid = await _scheduled(server, clock)
    await server.delete(cid)
    await server.edit(cid, _spec(clock, topic="New"), frozenset({EditField.TOPIC}))


async def _rename_running(server: Server, clock: FrozenClock) -> None:
    cid = await _running(server, clock)
    await server.edit(cid, _spec(clock, topic="New"), frozenset({EditField.TOPIC}))


async def _open_missing(server: Server, clock: FrozenClock) -> None:
    cid = await _scheduled(server, clock)
    await server.delete(cid)
    await server.set_active(cid, True)


async def _rename_too_long(server: Server, clock: FrozenClock) -> None:
    cid = await _scheduled(server, clock)
    await server.edit(cid, _spec(clock, topic="x" * 256), frozenset({EditField.TOPIC}))


async def _move_missing(server: Server, clock: FrozenClock) -> None:
    # A new time is the ledger's, not the room's: nothing asks the server.
    cid = await _scheduled(server, clock)
    await server.delete(cid)
    later = Once(clock.now() + timedelta(days=2), "UTC")
    await server.edit(cid, _spec(clock, schedule=later), frozenset({EditField.SCHEDULE}))


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


CASES: dict[str, tuple[Case, Refusal | None]] = {
    "stop a scheduled room": (_stop_scheduled, Refusal.NOT_RUNNING),
    "stop a closed room": (_stop_twice, Refusal.NOT_RUNNING),
    "stop an open room": (_stop_running, None),
    "start an open room": (_start_running, None),
    "delete an open room": (_delete_running, None),
    "delete a deleted room": (_delete_missing, Refusal.NOT_FOUND),
    "rename a deleted room": (_rename_missing, Refusal.NOT_FOUND),
    "rename an open room": (_rename_running, None),
    "move a deleted room": (_move_missing, None),
    "open a deleted room": (_open_missing, Refusal.NOT_FOUND),
    "read a deleted room": (_on_deleted(lambda s, c: s.get(c)), Refusal.NOT_FOUND),
    "start a deleted room": (_on_deleted(lambda s, c: s.start(c)), Refusal.NOT_FOUND),
    "stop a deleted room": (_on_deleted(lambda s, c: s.stop(c)), Refusal.NOT_FOUND),
    "a guest link to a deleted room": (
        _on_deleted(lambda s, c: s.guest_access(c, "Guest")),
        Refusal.NOT_FOUND,
    ),
    "create named in 255 characters": (_create(topic="x" * 255), None),
    "create named in 256 characters": (_create(topic="x" * 256), Refusal.INVALID_REQUEST),
    "create named in blanks": (_create(topic="   "), Refusal.INVALID_REQUEST),
    "rename to 256 characters": (_rename_too_long, Refusal.INVALID_REQUEST),
}


@pytest.fixture(params=["fake", "sandbox"])
def server(request: pytest.FixtureRequest, backend: CallabaBackend) -> Server:
    return backend if request.param == "sandbox" else FakeCallaba()


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
