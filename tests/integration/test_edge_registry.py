"""The extension point: a messenger the bridge has never heard of is added by
one registry entry (its settings class, component, readiness and doctor
lines), with no change in ``bot/`` and no list in the composition root. Its
variables keep their prefix, its problems are named by variable, serve's
readiness and doctor ask it, its people and chats are stored and read back,
and its admins are named in BRIDGE_ADMINS like any other messenger's."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar

import pytest
from pydantic import SecretStr
from pydantic_settings import SettingsConfigDict
from starlette.routing import BaseRoute

from adapters.edge import Configuration, EdgeSettings, MessengerEdge, Wiring, WorkPart
from adapters.findings import Finding
from adapters.http.readiness import CheckResult, ReadinessComponent, passed
from adapters.trueconf.settings import TrueConfSettings
from bot.chat import ChatRef, UserRef
from bot.clock import Clock, FrozenClock
from bot.commands import CommandInput
from bot.errors import ConfigError
from bot.messengers import Messengers
from bot.reply import Capabilities, Reply
from bot.service import CommandService
from meetbridge.compose import build_app
from meetbridge.config import Config, load_config
from meetbridge.doctor import run_checks
from meetbridge.edges import EDGES, Edges
from meetbridge.reminders import ReminderComponent
from meetbridge.serve import components_for
from meetbridge.validation import refuse_invalid, settings_problems
from meetbridge.work_child import WorkChild

pytestmark = pytest.mark.timeout(60)

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
TOKEN = "fakechat-token-0123456789"
CAPABILITIES = Capabilities(buttons=True)


class FakeChatSettings(EdgeSettings):
    model_config = SettingsConfigDict(env_prefix="FAKECHAT_")
    switch: ClassVar[str] = "FAKECHAT_TOKEN"

    token: SecretStr | None = None
    # Chats that may use it; deny by default.
    allowed_chats: str = ""


class FakeChatMessenger:
    platform = "fakechat"
    capabilities = CAPABILITIES
    deliverable = True

    def __init__(self) -> None:
        self.sent: list[tuple[ChatRef, Reply]] = []

    async def send(self, chat: ChatRef, reply: Reply) -> None:
        self.sent.append((chat, reply))

    async def edit(self, chat: ChatRef, message_id: str, reply: Reply) -> None:
        self.sent.append((chat, reply))  # a fourth messenger's edit: kept as sent


class FakeChatComponent:
    """What a real messenger's component is: routes, start and stop (its
    messenger registered meanwhile) and the readiness of its API."""

    name = "fakechat"

    def __init__(self, settings: FakeChatSettings, wiring: Wiring) -> None:
        self._service: CommandService = wiring.service
        self._messengers: Messengers = wiring.messengers
        self.messenger = FakeChatMessenger()
        self.chats = frozenset(settings.allowed_chats.split(","))

    @property
    def routes(self) -> Sequence[BaseRoute]:
        return []

    async def start(self) -> None:
        self._messengers.register(self.messenger)

    async def stop(self) -> None:
        self._messengers.unregister("fakechat")

    async def check_ready(self) -> CheckResult:
        return passed("the fake API answered")

    async def receive(self, text: str, chat_id: str, user_id: str) -> Reply:
        """A message as its webhook would hand it over."""
        command = CommandInput(
            text=text,
            chat=ChatRef("fakechat", "srv", chat_id),
            user=UserRef("fakechat", "srv", user_id, user_id),
        )
        return await self._service.handle(command, CAPABILITIES)


def validate(settings: FakeChatSettings, _config: Configuration) -> None:
    if not settings.allowed_chats:
        raise ConfigError("FAKECHAT_ALLOWED_CHATS is not set: list the chats that may use it.")


def findings(settings: FakeChatSettings, config: Configuration) -> list[Finding]:
    # Another edge's settings, as loaded: the server this chat runs beside.
    server = config.settings_of(TrueConfSettings).server_url
    return [Finding("FAKECHAT_ALLOWED_CHATS", True, f"{settings.allowed_chats} on {server}")]


async def doctor(
    _settings: FakeChatSettings, _config: Configuration, _clock: Clock
) -> list[Finding]:
    return [Finding("fakechat", True, "the fake API accepts FAKECHAT_TOKEN")]


FAKECHAT = MessengerEdge(
    name="fakechat",
    settings=FakeChatSettings,
    enabled=lambda settings: settings.token is not None,
    validate=validate,
    component=FakeChatComponent,
    settings_findings=findings,
    doctor=doctor,
)
WITH_FAKECHAT = Edges(backends=EDGES.backends, messengers=(*EDGES.messengers, FAKECHAT))


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FAKECHAT_TOKEN", TOKEN)
    monkeypatch.setenv("FAKECHAT_ALLOWED_CHATS", "c1,c2")
    return tmp_path


def config(tmp_path: Path, database_url: str | None = None, **values: object) -> Config:
    return load_config(
        env_file=None,
        edges=WITH_FAKECHAT,
        database_url=database_url or f"sqlite+aiosqlite:///{tmp_path / 'bridge.db'}",
        trueconf_server_url="sandbox",
        trueconf_owner="admin",
        values=values,
    )


def test_its_settings_are_read_under_its_prefix(environment: Path) -> None:
    loaded = config(environment)
    settings = loaded.of(FAKECHAT)
    assert settings.token is not None
    assert settings.token.get_secret_value() == TOKEN
    assert loaded.value("FAKECHAT_ALLOWED_CHATS") == "c1,c2"
    assert TOKEN in set(loaded.secrets())  # masked in every log line
    assert [edge.name for edge in loaded.messengers()] == ["fakechat"]


@pytest.mark.usefixtures("environment")
def test_without_the_registry_entry_its_variables_are_nobodys() -> None:
    plain = load_config(env_file=None, trueconf_server_url="sandbox")
    assert "fakechat" not in plain.values
    assert plain.messengers() == []


def test_its_problem_stops_serve_and_names_the_variable(
    environment: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FAKECHAT_ALLOWED_CHATS")
    loaded = config(environment)
    assert settings_problems(loaded) == [
        "FAKECHAT_ALLOWED_CHATS is not set: list the chats that may use it."
    ]
    with pytest.raises(ConfigError, match="FAKECHAT_ALLOWED_CHATS"):
        refuse_invalid(loaded)


def test_a_wrong_value_names_its_variable(environment: Path) -> None:
    with pytest.raises(ConfigError, match="  FAKECHAT_ALLOWED_CHATS: "):
        config(environment, fakechat_allowed_chats=["not", "text"])


async def test_doctor_asks_it(environment: Path) -> None:
    lines = [check.line() for check in await run_checks(config(environment), FrozenClock(NOW))]
    assert "ok    settings: valid" in lines
    # TRUECONF_SERVER_URL as loaded (given here, not in the environment).
    assert "ok    FAKECHAT_ALLOWED_CHATS: c1,c2 on sandbox" in lines
    assert "ok    fakechat: the fake API accepts FAKECHAT_TOKEN" in lines


async def test_serve_runs_it_and_readiness_reports_it(environment: Path, database_url: str) -> None:
    async with build_app(config(environment, database_url, bridge_admins="fakechat:ann")) as app:
        components = components_for(app)
        [chat] = [c for c in components if isinstance(c, FakeChatComponent)]
        [readiness] = [c for c in components if isinstance(c, ReadinessComponent)]
        for component in components:
            await component.start()
        try:
            answer = await readiness.readiness.answer()
            assert answer["dependencies"]["fakechat"]["ok"] is True
            assert "the fake API answered" in answer["dependencies"]["fakechat"]["detail"]
            assert app.messengers.for_chat(ChatRef("fakechat", "srv", "c1")) is chat.messenger
            assert app.deps.admins.includes(UserRef("fakechat", "srv", "ann"))
            assert set(answer["dependencies"]) == {"backend:trueconf", "fakechat"}

            created = await chat.receive("now Standup", "c1", "ann")
            assert "Standup" in created.plain_text()
            listed = await chat.receive("list", "c1", "ann")
            assert "Standup" in listed.plain_text()  # its chat was stored and read back
        finally:
            for component in reversed(components):
                await component.stop()
        assert "fakechat" not in app.messengers.platforms


def never_worked(_settings: FakeChatSettings, _wiring: Wiring) -> WorkPart:
    raise AssertionError("serve builds no work part; its child process does")


@pytest.mark.usefixtures("environment")
@pytest.mark.parametrize(("work_process", "claimed"), [(True, set()), (False, {"fakechat"})])
async def test_a_messenger_with_a_work_process_has_its_reminders_dispatched_there(
    database_url: str, work_process: bool, claimed: set[str]
) -> None:
    # serve leaves the reminders and live cards of a messenger that works in
    # its child to that child; run without a child, serve dispatches them.
    worked = replace(FAKECHAT, worker=never_worked)
    loaded = load_config(
        env_file=None,
        edges=Edges(backends=EDGES.backends, messengers=(*EDGES.messengers, worked)),
        database_url=database_url,
        trueconf_server_url="sandbox",
        trueconf_owner="admin",
        values={"work_process": work_process},
    )
    async with build_app(loaded) as app:
        components = components_for(app)
        [chat] = [c for c in components if isinstance(c, FakeChatComponent)]
        [reminders] = [c for c in components if isinstance(c, ReminderComponent)]
        assert any(isinstance(c, WorkChild) for c in components) is work_process
        # A serve with a work process is ready only while that process works.
        [ready] = [c for c in components if isinstance(c, ReadinessComponent)]
        assert ("work-process" in ready.readiness.names) is work_process
        # Whoever works on them, the commands it acknowledged are watched.
        assert "fakechat:commands" in ready.readiness.names
        await chat.start()
        try:
            assert "fakechat" in app.messengers.deliverable
            assert reminders.claimed_platforms() == claimed
            # With nothing of its own to deliver, serve runs no dispatcher at
            # all (the child carries out the room actions too), so the
            # ledger's wake-ups cost its loop nothing; it still prunes.
            await reminders.start()
            try:
                assert (reminders.dispatcher is not None) is not work_process
                assert reminders.retention is not None
            finally:
                await reminders.stop()
        finally:
            await chat.stop()
