"""Cases an in-memory conference server (tests/fakes.py) and its sandbox must
end alike, with the same refusal or none: each server's contract test
(tests/integration/*/test_fake_contract.py) runs them against both, so a unit
test cannot pass on what the server would reject. Here: the ones every
server shares, on a conference the server's own test describes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol, TypeVar

from bot.clock import FrozenClock
from bot.errors import BackendError, Refusal
from bot.meeting import ConferenceSpec, EditField
from bot.ports.backend import Editing, GuestLinks, Rooms
from bot.schedule import Instant, Once


class ContractServer(Rooms, Editing, GuestLinks, Protocol):
    """What the shared cases call."""


S = TypeVar("S", bound=ContractServer)
Case = Callable[[ContractServer, FrozenClock], Awaitable[None]]
Cases = dict[str, tuple[Case, Refusal | None]]


async def outcome(run: Awaitable[None]) -> Refusal | None:
    """How a case ended: the server's refusal, or ``None`` when it took it."""
    try:
        await run
    except BackendError as exc:
        return exc.refusal
    return None


@dataclass(frozen=True)
class Contract:
    """The cases' conference: a day ahead, 45 minutes, owned by carol, with
    ``values`` of the server's own (its invitees) over that."""

    values: Mapping[str, object]

    def spec(self, clock: FrozenClock, **changes: object) -> ConferenceSpec:
        values: dict[str, object] = {
            "topic": "Review",
            "owner_login": "carol",
            "invitee_logins": (),
            "schedule": Once(clock.now() + timedelta(days=1), "UTC"),
            "duration": timedelta(minutes=45),
            **self.values,
            **changes,
        }
        return ConferenceSpec(**values)  # type: ignore[arg-type]

    async def scheduled(self, server: ContractServer, clock: FrozenClock) -> str:
        return (await server.create(self.spec(clock))).conference_id

    async def running(self, server: ContractServer, clock: FrozenClock) -> str:
        return (await server.create(self.spec(clock, schedule=Instant()))).conference_id

    def create(self, **spec: object) -> Case:
        async def run(server: ContractServer, clock: FrozenClock) -> None:
            await server.create(self.spec(clock, **spec))

        return run

    def on_deleted(
        self, call: Callable[[S, str], Awaitable[object]]
    ) -> Callable[[S, FrozenClock], Awaitable[None]]:
        """``call`` on a conference deleted just before."""

        async def run(server: S, clock: FrozenClock) -> None:
            cid = await self.scheduled(server, clock)
            await server.delete(cid)
            await call(server, cid)

        return run

    def on_running(self, call: Callable[[ContractServer, str], Awaitable[object]]) -> Case:
        async def run(server: ContractServer, clock: FrozenClock) -> None:
            await call(server, await self.running(server, clock))

        return run

    def rename(self, topic: str, *, of: str = "scheduled") -> Case:
        """A new topic for a ``scheduled``, ``running`` or ``deleted`` conference."""

        async def run(server: ContractServer, clock: FrozenClock) -> None:
            cid = await (self.running if of == "running" else self.scheduled)(server, clock)
            if of == "deleted":
                await server.delete(cid)
            await server.edit(cid, self.spec(clock, topic=topic), frozenset({EditField.TOPIC}))

        return run

    async def stop_scheduled(self, server: ContractServer, clock: FrozenClock) -> None:
        await server.stop(await self.scheduled(server, clock))

    async def stop_twice(self, server: ContractServer, clock: FrozenClock) -> None:
        cid = await self.running(server, clock)
        await server.stop(cid)
        await server.stop(cid)

    async def delete_twice(self, server: ContractServer, clock: FrozenClock) -> None:
        cid = await self.scheduled(server, clock)
        await server.delete(cid)
        await server.delete(cid)

    def lifecycle(
        self, noun: str, *, delete_running: Refusal | None, rename_running: Refusal | None
    ) -> Cases:
        """Start, stop, delete, rename and read, the cases every server has;
        ``noun`` names its conference ("conference", "room")."""
        return {
            f"stop a scheduled {noun}": (self.stop_scheduled, Refusal.NOT_RUNNING),
            f"stop a stopped {noun}": (self.stop_twice, Refusal.NOT_RUNNING),
            f"stop a running {noun}": (self.on_running(lambda s, c: s.stop(c)), None),
            f"start a running {noun}": (self.on_running(lambda s, c: s.start(c)), None),
            f"delete a running {noun}": (
                self.on_running(lambda s, c: s.delete(c)),
                delete_running,
            ),
            f"rename a running {noun}": (self.rename("New", of="running"), rename_running),
            f"delete a deleted {noun}": (self.delete_twice, Refusal.NOT_FOUND),
            f"rename a deleted {noun}": (self.rename("New", of="deleted"), Refusal.NOT_FOUND),
            f"read a deleted {noun}": (self.on_deleted(lambda s, c: s.get(c)), Refusal.NOT_FOUND),
            f"start a deleted {noun}": (
                self.on_deleted(lambda s, c: s.start(c)),
                Refusal.NOT_FOUND,
            ),
            f"stop a deleted {noun}": (self.on_deleted(lambda s, c: s.stop(c)), Refusal.NOT_FOUND),
            f"a guest link to a deleted {noun}": (
                self.on_deleted(lambda s, c: s.guest_access(c, "Guest")),
                Refusal.NOT_FOUND,
            ),
        }
