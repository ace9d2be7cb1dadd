from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from bot.catalogue import CATALOGUE, Catalogue
from bot.chat import ChatRef, Identity, Standing, UserRef
from bot.clock import FrozenClock
from bot.commands import CommandInput
from bot.context import Deps
from bot.meeting import DirectoryUser
from bot.policy import BridgeAdmins
from bot.reply import Capabilities, Reply
from bot.service import CommandService
from tests.fakes import FakeBackend, FakeCallaba, MemoryUnitOfWorkFactory, fake_deps

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # Monday 11:00 in Moscow
CHAT = ChatRef("console", "local", "room")


@dataclass
class Bridge:
    service: CommandService
    backend: FakeBackend
    uow: MemoryUnitOfWorkFactory
    clock: FrozenClock

    @property
    def accounts(self) -> bool:
        return self.backend.invitations is not None

    async def say(
        self,
        text: str,
        *,
        user: str = "helen",
        admin: bool = False,
        zone: str | None = None,
        standing: Standing = Standing.MEMBER,
        identity: Identity = Identity.PERSON,
    ) -> Reply:
        # ``admin``: an admin with link powers (as a Slack workspace admin).
        command_input = CommandInput(
            text=text,
            chat=CHAT,
            user=UserRef("console", "local", user, user),
            standing=Standing.WORKSPACE_ADMIN if admin else standing,
            identity=identity,
            user_timezone=zone,
        )
        return await self.service.handle(command_input, Capabilities(custom_scheme_links=True))


USERS = [
    DirectoryUser("helen", "Helen", "helen@example.com"),
    DirectoryUser("alice", "Alice", "alice@example.com"),
    DirectoryUser("bob", "Bob", "bob@example.com"),
    DirectoryUser("carol", "Carol", "carol@example.com"),
]


def make_deps(
    backend: FakeBackend, *, admins: BridgeAdmins | None = None, unlinked_may_create: bool = True
) -> Deps:
    return fake_deps(
        backend,
        USERS,
        NOW,
        unlinked_may_create=unlinked_may_create,
        admins=admins or BridgeAdmins(),
    )


def make_bridge(
    backend: FakeBackend,
    catalogue: Catalogue = CATALOGUE,
    *,
    admins: BridgeAdmins | None = None,
    unlinked_may_create: bool = True,
) -> Bridge:
    deps = make_deps(backend, admins=admins, unlinked_may_create=unlinked_may_create)
    assert isinstance(deps.uow, MemoryUnitOfWorkFactory)
    assert isinstance(deps.clock, FrozenClock)
    return Bridge(CommandService(deps, catalogue), backend, deps.uow, deps.clock)


# The core's handlers run against each shape of server: one with accounts,
# PINs and its own schedule (TrueConf), one with rooms only (Callaba).
SHAPES: dict[str, Callable[[], FakeBackend]] = {
    "trueconf": lambda: FakeBackend("trueconf", pin="4321"),
    "callaba": lambda: FakeCallaba("callaba"),
}


@pytest.fixture(params=sorted(SHAPES))
def bridge(request: pytest.FixtureRequest) -> Bridge:
    return make_bridge(SHAPES[request.param]())


@pytest.fixture
def trueconf_bridge() -> Bridge:
    """For what only a server with accounts, PINs and schedules does."""
    return make_bridge(SHAPES["trueconf"]())


@pytest.fixture
def callaba_bridge() -> Bridge:
    """For what only a rooms-only server does."""
    return make_bridge(SHAPES["callaba"]())
