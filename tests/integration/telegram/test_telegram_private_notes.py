"""A PIN (a private note) reaches the creator's private chat and never a group."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from telegram import Chat, User
from telegram.ext import ExtBot

from adapters.telegram.messenger import send_private_notes
from bot.reply import Reply, Text, Visibility
from tests.support.telegram_api import FakeTelegram, FakeTelegramServer

pytestmark = pytest.mark.timeout(60)

GROUP = Chat(-100, Chat.SUPERGROUP)
PAT = User(501, "Pat", False, language_code="ru")
REPLY = Reply(
    (Text("Meeting #1 scheduled"),),
    private_notes=(Reply((Text("PIN for meeting #1: 4321"),), Visibility.PRIVATE),),
)


@pytest.fixture
async def bot() -> AsyncIterator[tuple[ExtBot[None], FakeTelegram]]:
    server = FakeTelegramServer()
    await asyncio.to_thread(server.start)
    bot = ExtBot(server.state.token, base_url=f"{server.url}/bot")
    await bot.initialize()
    yield bot, server.state
    await bot.shutdown()
    await asyncio.to_thread(server.stop)


async def test_the_note_goes_to_the_person_not_the_group(
    bot: tuple[ExtBot[None], FakeTelegram],
) -> None:
    ext, state = bot
    await send_private_notes(ext, REPLY, chat=GROUP, user=PAT)
    assert [c.text for c in state.sent(PAT.id)] == ["PIN for meeting #1: 4321"]
    assert state.sent(GROUP.id) == []


async def test_a_person_who_never_started_the_bot_is_told_so_in_the_group_without_the_pin(
    bot: tuple[ExtBot[None], FakeTelegram],
) -> None:
    ext, state = bot
    state.strangers.add(PAT.id)
    await send_private_notes(ext, REPLY, chat=GROUP, user=PAT)
    (hint,) = state.sent(GROUP.id)
    assert "Не удалось написать вам" in hint.text
    assert "4321" not in hint.text
    assert all("4321" not in c.text for c in state.sent())
