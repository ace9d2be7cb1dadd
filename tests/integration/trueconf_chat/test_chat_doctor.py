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
