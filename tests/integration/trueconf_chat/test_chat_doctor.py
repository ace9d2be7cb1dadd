"""``doctor``'s TrueConf chat line against the chat sandbox: the account
accepted, a wrong password named, an unreachable endpoint named."""

from __future__ import annotations

import pytest

from adapters.trueconf.settings import TrueConfSettings
from adapters.trueconf_chat.config import TrueConfChatSettings
from adapters.trueconf_chat.doctor import check_chat
from adapters.trueconf_chat.sandbox import BOT_LOGIN, ChatSandboxServer
from bot.clock import SystemClock
from meetbridge.config import Config, load_config


def configuration() -> Config:
    """The rest of the configuration: no TrueConf server named."""
    return load_config(env_file=None)


def _settings(url: str, password: str) -> TrueConfChatSettings:
    return TrueConfChatSettings(url=url, login=BOT_LOGIN, password=password)


@pytest.fixture(autouse=True)
def _no_server(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in TrueConfSettings.env_names().values():
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir("/")


async def test_doctor_names_the_server_and_the_account() -> None:
    async with ChatSandboxServer() as chat:
        (good,) = await check_chat(
            _settings(chat.base_url, chat.bot_password), configuration(), SystemClock()
        )
        (bad,) = await check_chat(_settings(chat.base_url, "wrong"), configuration(), SystemClock())
    assert good.ok, good.detail
    assert "server 5.5.6" in good.detail
    assert not bad.ok
    assert "TRUECONF_CHATBOT_LOGIN=meetbot" in bad.detail
    assert "wrong" not in bad.detail


async def test_doctor_names_an_unreachable_endpoint() -> None:
    async with ChatSandboxServer() as chat:
        url = chat.base_url
    (finding,) = await check_chat(_settings(url, "x"), configuration(), SystemClock())
    assert not finding.ok
    assert "TRUECONF_CHATBOT_URL" in finding.detail


async def test_doctor_names_trueconf_server_url_when_the_chat_bot_has_no_url_of_its_own() -> None:
    async with ChatSandboxServer() as chat:
        url = chat.base_url
    loaded = load_config(
        env_file=None,
        trueconf_server_url=url,
        trueconf_client_id="bridge",
        trueconf_client_secret="client-secret",
    )
    settings = TrueConfChatSettings(login=BOT_LOGIN, password="x")
    (finding,) = await check_chat(settings, loaded, SystemClock())
    assert not finding.ok
    assert "(TRUECONF_SERVER_URL)" in finding.detail, finding.detail
    sandbox = load_config(env_file=None, trueconf_server_url="sandbox")
    (demo,) = await check_chat(TrueConfChatSettings(login=BOT_LOGIN), sandbox, SystemClock())
    assert demo.detail == "the built-in chat sandbox (TRUECONF_SERVER_URL=sandbox)"
