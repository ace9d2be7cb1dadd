"""The Slack component in the service's lifecycle: its messenger is in the app's
registry exactly while it runs, its routes follow the configuration, and a
command its process cannot hand to the database is answered "busy" at once."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
from pydantic import SecretStr
from starlette.applications import Starlette
from starlette.routing import Route

from adapters.slack.component import SlackComponent
from adapters.slack.config import SlackConfig
from adapters.slack.oauth import installation_store
from adapters.slack.texts import text
from bot.chat import ChatRef
from bot.clock import FrozenClock
from bot.context import Defaults, Deps
from bot.errors import DeliveryError
from bot.messengers import Messengers
from bot.reply import Reply, Text
from bot.service import CommandService
from storage import build_engine
from storage.command_queue import UNDER_WAY_MOST, SqlCommandQueue
from tests.fakes import FakeBackend, FakeDirectory, MemoryUnitOfWorkFactory
from tests.support.fake_slack import TEAM, Failure, FakeSlack, signed_headers
from tests.support.tokens import slack_token

pytestmark = pytest.mark.timeout(30)


def _component(
    tmp_path: Path,
    config: SlackConfig,
    messengers: Messengers,
    *,
    under_way_most: int = UNDER_WAY_MOST,
) -> SlackComponent:
    backend = FakeBackend()
    uow = MemoryUnitOfWorkFactory()
    deps = Deps(
        backends={backend.name: backend},
        default_backend=backend.name,
        directory=FakeDirectory([]),
        uow=uow,
        clock=FrozenClock(datetime(2026, 11, 23, 12, 0, tzinfo=UTC)),
        defaults=Defaults("UTC", "en", timedelta(hours=1), "admin", "UTC"),
    )
    # The composition root hands over the store on the bridge's own pool; no
    # connection is opened until an install is looked up.
    engine = build_engine(f"sqlite+aiosqlite:///{tmp_path / 'c.db'}")
    store = installation_store(config, engine) if config.multi_workspace else None
    return SlackComponent(
        config,
        CommandService(deps),
        uow,
        messengers,
        queue=SqlCommandQueue(engine, "slack", under_way_most=under_way_most),
        clock=deps.clock,
        installations=store,
    )


def _paths(component: SlackComponent) -> set[str]:
    return {r.path for r in component.routes if isinstance(r, Route)}


async def test_the_messenger_is_registered_while_the_component_runs(tmp_path: Path) -> None:
    messengers = Messengers()
    config = SlackConfig(
        signing_secret=SecretStr("s"),
        api_url="http://127.0.0.1:9/api/",
        bot_token=SecretStr(slack_token()),
    )
    component = _component(tmp_path, config, messengers)
    assert _paths(component) == {"/slack/events"}
    chat = ChatRef("slack", "T1", "C1")
    with pytest.raises(DeliveryError):
        messengers.for_chat(chat)
    await component.start()
    assert messengers.platforms == frozenset({"slack"})
    assert messengers.for_chat(chat).platform == "slack"
    await component.stop()
    assert messengers.platforms == frozenset()


def _multi_workspace(api_url: str = "http://127.0.0.1:9/api/") -> SlackConfig:
    return SlackConfig(
        signing_secret=SecretStr("s"),
        api_url=api_url,
        client_id="1.2",
        client_secret=SecretStr("c"),
        state_secret=SecretStr("st"),
        encryption_key=SecretStr("0" * 43 + "="),
    )


def test_multi_workspace_mode_serves_the_install_routes(tmp_path: Path) -> None:
    component = _component(tmp_path, _multi_workspace(), Messengers())
    assert _paths(component) == {"/slack/events", "/slack/install", "/slack/oauth_redirect"}


async def test_multi_workspace_readiness_asks_slack_without_a_token(tmp_path: Path) -> None:
    with FakeSlack() as slack:
        component = _component(tmp_path, _multi_workspace(slack.api_url), Messengers())
        await component.start()
        try:
            ready = await component.check_ready()
            assert ready.ok, ready.detail
            assert "multi-workspace" in ready.detail
            [call] = slack.calls("api.test")
            assert call.token == ""  # no workspace's token stands for the service
            assert not slack.calls("auth.test")
            slack.fail(Failure("api.test", error="service_unavailable"))
            refused = await component.check_ready()
            assert not refused.ok
            assert refused.detail == "Slack refused: service_unavailable"
        finally:
            await component.stop()


async def test_a_command_the_database_cannot_take_now_is_answered_busy_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # No acceptance may wait (as when 1,024 already wait on a silent
    # database): the command is refused before anything is written.
    token = slack_token()
    # Where a deployment has the token: bolt reads it from there too, beside
    # the client it is handed, and must not warn at each start that it is unused.
    monkeypatch.setenv("SLACK_BOT_TOKEN", token)
    caplog.set_level(logging.WARNING)
    with FakeSlack() as slack:
        secret = "component-signing-secret"
        config = SlackConfig(
            signing_secret=SecretStr(secret),
            api_url=slack.api_url,
            bot_token=SecretStr(token),
        )
        component = _component(tmp_path, config, Messengers(), under_way_most=0)
        await component.start()
        try:
            body = urlencode(
                {
                    "team_id": TEAM,
                    "channel_id": "C1",
                    "user_id": "U1",
                    "command": "/meet",
                    "text": "now Standup",
                    "response_url": f"{slack.api_url.removesuffix('/api/')}/response/1",
                    "trigger_id": "1.2.3",
                }
            )
            headers = {
                **signed_headers(secret, body),
                "content-type": "application/x-www-form-urlencoded",
            }
            app = Starlette(routes=list(component.routes))
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bridge") as client:
                answer = await client.post("/slack/events", content=body, headers=headers)
        finally:
            await component.stop()
    assert answer.status_code == 200
    assert answer.text == text("busy", "en")  # bolt sends a bare text ack as text/plain
    assert [r.getMessage() for r in caplog.records if r.name.startswith("slack_bolt")] == []


async def test_one_bot_token_sends_nothing_to_a_chat_stored_from_another_team(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Reminders and live cards of chats stored before the bridge served the
    token's team alone: each fails at once, permanently, with a reason that
    says why (the reminder row keeps it, as ``failed``); the log names the
    team once; the token's own team is still served."""
    reminder = Reply((Text("Starts in 10 minutes"),))
    with FakeSlack() as slack:
        messengers = Messengers()
        config = SlackConfig(
            signing_secret=SecretStr("s"),
            api_url=slack.api_url,
            bot_token=SecretStr(slack_token()),
        )
        component = _component(tmp_path, config, messengers)
        await component.start()
        try:
            other = ChatRef("slack", "T0OTHER", "C0ELSEWHERE")
            for _ in range(2):
                with pytest.raises(DeliveryError) as raised:
                    await messengers.for_chat(other).send(other, reminder)
                assert raised.value.permanent
                assert "not the bot token's" in raised.value.reason
                with pytest.raises(DeliveryError) as edited:
                    await messengers.for_chat(other).edit(other, "1.2", reminder)
                assert edited.value.permanent
            assert slack.calls("chat.postMessage") == []
            assert slack.calls("chat.update") == []
            own = ChatRef("slack", TEAM, "C0GENERAL")
            await messengers.for_chat(own).send(own, reminder)
            assert len(slack.calls("chat.postMessage")) == 1
            assert len(slack.calls("auth.test")) == 1  # asked once, then kept
        finally:
            await component.stop()
    named = [r.getMessage() for r in caplog.records if "T0OTHER" in r.getMessage()]
    assert len(named) == 1, named
    assert "marked failed" in named[0]
