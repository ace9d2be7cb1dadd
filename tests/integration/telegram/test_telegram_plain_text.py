"""A plain line typed to the bot in a private chat, without /meet, is answered
with the /meet line it most likely meant (shown, never run); in a group, in an
edit, from a bot or from a chat the allowlist refuses, nothing changes. Real
python-telegram-bot handlers, against the fake Bot API."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from telegram import Update

from adapters.telegram.application import TelegramApplication, build_application
from adapters.telegram.config import TelegramConfig
from adapters.telegram.edge import EDGE as TELEGRAM
from adapters.telegram.handlers import Bridge
from bot.chat import ChatRef
from meetbridge.compose import App, build_app
from tests.support.edges import telegram_config
from tests.support.telegram_api import FakeTelegram, FakeTelegramServer, message_update, person

pytestmark = pytest.mark.timeout(60)

PAT = person(501, "pat")
OLGA = person(502, "olga", lang="ru")
STRANGER = person(503, "stranger")  # her private chat is not on the allowlist
GROUP = -4001


@dataclass
class World:
    telegram: FakeTelegram
    app: App
    application: TelegramApplication

    async def send(self, update: dict[str, Any]) -> None:
        """One update through every handler, to the end."""
        update["update_id"] = self.telegram.next_update_id()
        application = self.application
        await application.process_update(Update.de_json(update, application.bot))

    async def say(self, text: str, chat_id: int, sender: dict[str, Any]) -> list[str]:
        """What the bot sent to ``chat_id`` in answer to ``text``."""
        before = len(self.telegram.sent(chat_id))
        await self.send(message_update(text, chat_id=chat_id, sender=sender))
        return [call.text for call in self.telegram.sent(chat_id)[before:]]

    async def meetings(self, chat_id: int) -> int:
        chat = ChatRef("telegram", str(self.telegram.bot_id), str(chat_id))
        async with self.app.deps.uow() as uow:
            return len(await uow.meetings.list_active(chat))


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    server = FakeTelegramServer(FakeTelegram(scale=0.0001))
    await asyncio.to_thread(server.start)
    allowed = f"{PAT['id']},{OLGA['id']},{GROUP}"
    settings = telegram_config(
        server, tmp_path, telegram_allowed_chats=allowed, telegram_webhook_secret="s3cret"
    )
    try:
        async with build_app(settings) as app:
            config = TelegramConfig.from_settings(settings.of(TELEGRAM), None)
            application = build_application(config, Bridge(app.service, app.deps.uow))
            async with application:
                yield World(server.state, app, application)
    finally:
        await asyncio.to_thread(server.stop)


async def test_a_line_that_reads_as_a_command_gets_it_with_meet_in_front(world: World) -> None:
    (answer,) = await world.say("tomorrow 15:00 Review", PAT["id"], PAT)
    assert "Commands to me start with /meet" in answer
    assert "<code>/meet tomorrow 15:00 Review</code>" in answer
    # Suggested, not run.
    assert await world.meetings(PAT["id"]) == 0


async def test_a_line_that_reads_as_no_command_gets_meet_help(world: World) -> None:
    (answer,) = await world.say("hello, what can you do?", PAT["id"], PAT)
    assert "<code>/meet help</code>" in answer
    (answer,) = await world.say("help", PAT["id"], PAT)
    assert "<code>/meet help</code>" in answer


async def test_the_hint_speaks_the_persons_language_and_escapes_their_text(
    world: World,
) -> None:
    (answer,) = await world.say("завтра 15:00 <b>R&D</b>", OLGA["id"], OLGA)
    assert "Команды мне начинаются с /meet" in answer
    assert "<code>/meet завтра 15:00 &lt;b&gt;R&amp;D&lt;/b&gt;</code>" in answer


async def test_a_group_line_an_edit_and_a_bots_line_get_nothing(world: World) -> None:
    assert await world.say("tomorrow 15:00 Review", GROUP, PAT) == []
    edited = message_update("tomorrow 15:00 Review", chat_id=PAT["id"], sender=PAT)
    await world.send({"edited_message": edited["message"]})
    assert world.telegram.sent(PAT["id"]) == []
    a_bot = {**person(504, "otherbot"), "is_bot": True}
    assert await world.say("tomorrow 15:00 Review", PAT["id"], a_bot) == []
    # An unknown /command is a command: not a plain line.
    assert await world.say("/meeting tomorrow", PAT["id"], PAT) == []


async def test_a_refused_chat_gets_what_it_got_before(world: World) -> None:
    # A plain line: silence, as before; a command: the one refusal naming the chat.
    assert await world.say("tomorrow 15:00 Review", STRANGER["id"], STRANGER) == []
    (refusal,) = await world.say("/meet help", STRANGER["id"], STRANGER)
    assert "TELEGRAM_ALLOWED_CHATS" in refusal
    assert await world.say("hello", STRANGER["id"], STRANGER) == []
