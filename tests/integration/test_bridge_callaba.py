"""The bridge as ``build_app`` assembles it with both servers: the command
service over the Callaba client against its sandbox on loopback, with real
SQLite and PostgreSQL storage. Counts the requests each command costs Callaba."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from adapters.callaba.sandbox import CallabaSandbox, Failure
from bot.chat import ChatRef, UserRef
from bot.clock import FrozenClock
from bot.commands import CommandInput
from bot.reply import Capabilities, Reply
from meetbridge.compose import App, build_app
from meetbridge.config import Config, load_config
from tests.support.edges import callaba_endpoint_of

pytestmark = pytest.mark.timeout(60)

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
CHAT = ChatRef("console", "local", "team")


@dataclass
class Session:
    app: App
    sandbox: CallabaSandbox
    seen: int = 0

    async def say(self, text: str, user: str = "helen") -> Reply:
        command_input = CommandInput(
            text=text, chat=CHAT, user=UserRef("console", "local", user, user)
        )
        return await self.app.service.handle(command_input, Capabilities())

    def calls(self) -> list[str]:
        """Callaba requests since the last look, as ``METHOD action``."""
        log = self.sandbox.state.log()
        fresh, self.seen = log[self.seen :], len(log)
        return [f"{c.method} {c.action}" for c in fresh]


def settings_for(database_url: str, **extra: object) -> Config:
    return load_config(
        env_file=None,
        database_url=database_url,
        default_timezone="Europe/Moscow",
        callaba_url="sandbox",
        values=extra,
    )


@pytest.fixture
async def session(database_url: str) -> AsyncIterator[Session]:
    settings = settings_for(database_url, trueconf_server_url="sandbox", trueconf_owner="helen")
    async with build_app(settings, clock=FrozenClock(NOW)) as app:
        endpoint = callaba_endpoint_of(app)
        assert endpoint.sandbox is not None
        yield Session(app, endpoint.sandbox)


async def test_requests_per_command_on_callaba(session: Session) -> None:
    assert session.app.deps.default_backend == "trueconf"
    assert "callaba" in session.app.deps.activation
    await session.say("backend callaba")

    await session.say("tomorrow 15:00 for 1h Design review @alice @zed")
    assert session.calls() == ["POST create"]
    await session.say("now Incident")
    assert session.calls() == ["POST create"]  # created open: no second request
    await session.say("list")
    assert session.calls() == []
    await session.say("info 1")
    assert session.calls() == ["POST getById"]
    await session.say("invite 1 @bob")
    assert session.calls() == []  # people are mentions: nothing to tell Callaba
    await session.say("guest 1")
    assert session.calls() == ["POST getById"]
    await session.say("start 1")
    await session.say("stop 1")  # a closed room is refused: read first
    assert session.calls() == ["POST update", "POST getById", "POST update"]
    await session.say("cancel 1")
    assert session.calls() == ["DELETE remove"]


async def test_a_scheduled_room_waits_closed_and_the_card_has_both_links(
    session: Session,
) -> None:
    await session.say("backend callaba")

    reply = await session.say("tomorrow 15:00 for 1h Design review @alice @zed")

    [(room_id, room)] = session.sandbox.state.rooms().items()
    assert room["active"] is False
    assert room["name"] == "Design review"
    text = reply.plain_text()
    base = session.sandbox.base_url
    assert f"{base}/conferences/{room_id}" in text
    assert f"{base}/conferences-view-mode/{room_id}" in text
    assert "Invited: alice, zed" in text
    for absent in ("SIP", "H.323", "trueconf:", "Not on the server"):
        assert absent not in text
    listing = (await session.say("list")).plain_text()
    expected = "#1 Design review — Tue 24 Nov 2026, 15:00 (Europe/Moscow) · scheduled · callaba"
    assert expected in listing

    # The stored meeting keeps the view-only link for later replies.
    async with session.app.deps.uow() as uow:
        stored = await uow.meetings.get(1)
    assert stored is not None
    assert stored.join.view_url == f"{base}/conferences-view-mode/{room_id}"


async def test_meetings_stay_on_their_server_when_the_chat_switches(session: Session) -> None:
    await session.say("backend callaba")
    await session.say("tomorrow 15:00 On Callaba")
    await session.say("backend trueconf")
    await session.say("tomorrow 16:00 On TrueConf")
    session.calls()

    listing = (await session.say("list")).plain_text()
    assert "· callaba" in listing
    assert "· trueconf" in listing
    await session.say("cancel 1")
    assert session.calls() == ["DELETE remove"]
    assert session.sandbox.state.rooms() == {}


async def test_callaba_errors_become_sentences(session: Session) -> None:
    await session.say("backend callaba")
    session.sandbox.state.inject(Failure(action="create", status=401))

    refused = await session.say("now Call")

    assert refused.is_error
    assert "CALLABA_TOKEN" in refused.plain_text()
    assert session.sandbox.token not in refused.plain_text()


async def test_callaba_alone_needs_no_trueconf(database_url: str) -> None:
    async with build_app(settings_for(database_url), clock=FrozenClock(NOW)) as app:
        assert list(app.deps.backends) == ["callaba"]
        assert app.deps.directory is None
        assert list(app.backends.built) == ["callaba"]
        command_input = CommandInput(
            text="weekly mon 10:00 Standup @alice",
            chat=CHAT,
            user=UserRef("console", "local", "helen"),
        )
        reply = await app.service.handle(command_input, Capabilities())
        assert not reply.is_error, reply.plain_text()
        linked = await app.service.handle(
            CommandInput(text="link alice", chat=CHAT, user=UserRef("console", "local", "x")),
            Capabilities(),
        )
        assert "nothing to link to" in linked.plain_text()


async def test_a_second_stop_is_told_the_same_on_both_servers(session: Session) -> None:
    # TrueConf refuses to stop a conference that is not running; a Callaba
    # room that is already closed is told the same sentence, not "stopped".
    answers: dict[str, tuple[str, str]] = {}
    for number, backend in enumerate(("trueconf", "callaba"), start=1):
        await session.say(f"backend {backend}")
        await session.say("now Incident")
        first = await session.say(f"stop {number}")
        assert not first.is_error, first.plain_text()
        again = await session.say(f"stop {number}")
        assert again.is_error
        answers[backend] = (first.plain_text(), again.plain_text())
    session.calls()

    assert answers["callaba"][1] == answers["trueconf"][1]
    assert answers["callaba"][1] == "The conference is not running now: nothing was changed."
    room = session.sandbox.state.rooms()
    assert [r["active"] for r in room.values()] == [False]
