"""An invitation whose directory lookups take a while, while the meeting is
changed meanwhile: the invite adds its people and undoes nothing else."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import replace

import pytest

from bot.clock import FrozenClock
from bot.meeting import DirectoryUser, MeetingStatus
from bot.service import CommandService
from tests.fakes import FakeBackend, FakeDirectory, MemoryUnitOfWorkFactory
from tests.unit.core.conftest import USERS, Bridge, make_deps

pytestmark = pytest.mark.timeout(30)


class GatedDirectory(FakeDirectory):
    """Each lookup waits for ``release`` once ``gated`` is set; ``asked`` is
    set when one is waiting."""

    def __init__(self, users: list[DirectoryUser]) -> None:
        super().__init__(users)
        self.gated = False
        self.asked = asyncio.Event()
        self.release = asyncio.Event()

    async def find_by_login(self, login: str) -> DirectoryUser | None:
        if self.gated:
            self.asked.set()
            await self.release.wait()
        return await super().find_by_login(login)


def gated_bridge() -> tuple[Bridge, GatedDirectory]:
    backend = FakeBackend("trueconf", pin="4321")
    directory = GatedDirectory(USERS)
    deps = replace(make_deps(backend), directory=directory)
    assert isinstance(deps.uow, MemoryUnitOfWorkFactory)
    assert isinstance(deps.clock, FrozenClock)
    bridge = Bridge(CommandService(deps), backend, deps.uow, deps.clock)
    return bridge, directory


async def while_held(
    bridge: Bridge,
    directory: GatedDirectory,
    line: str,
    meanwhile: Callable[[], Awaitable[None]],
) -> None:
    """``line`` held at its directory lookup while ``meanwhile`` runs, then
    let go and seen to its end."""
    directory.gated = True
    held = asyncio.ensure_future(bridge.say(line))
    await asyncio.wait_for(directory.asked.wait(), 5)
    await meanwhile()
    directory.release.set()
    await held


async def test_a_meeting_cancelled_during_an_invite_stays_cancelled() -> None:
    bridge, directory = gated_bridge()
    await bridge.say("tomorrow 15:00 Review")

    async def cancel() -> None:
        cancelled = await bridge.say("cancel 1")
        assert bridge.uow.state.meetings[1].status is MeetingStatus.CANCELLED, (
            cancelled.plain_text()
        )

    await while_held(bridge, directory, "invite 1 @alice", cancel)
    assert bridge.uow.state.meetings[1].status is MeetingStatus.CANCELLED


async def test_an_edit_during_an_invite_is_kept() -> None:
    bridge, directory = gated_bridge()
    await bridge.say("tomorrow 15:00 Review")

    async def edit() -> None:
        await bridge.say("edit 1 New topic")
        assert bridge.uow.state.meetings[1].topic == "New topic"

    await while_held(bridge, directory, "invite 1 @alice", edit)
    stored = bridge.uow.state.meetings[1]
    assert stored.topic == "New topic"
    assert [i.handle for i in stored.invitees] == ["alice"]


async def test_an_edit_during_an_uninvite_is_kept() -> None:
    bridge, directory = gated_bridge()
    await bridge.say("tomorrow 15:00 Review @alice")

    async def edit() -> None:
        await bridge.say("edit 1 New topic")

    # bob is no invitee: looked up, so the uninvite waits on the directory.
    await while_held(bridge, directory, "uninvite 1 @alice @bob", edit)
    stored = bridge.uow.state.meetings[1]
    assert stored.topic == "New topic"
    assert stored.invitees == ()
