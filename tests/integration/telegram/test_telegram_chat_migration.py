"""A group upgraded to a supergroup gets a new id. The bridge follows it both
ways Telegram tells: the service message in the chat, and a send to the old id
answered with ``migrate_to_chat_id``. Meetings and reminders are not lost."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from adapters.telegram.component import TelegramComponent
from adapters.telegram.config import TelegramConfig
from adapters.telegram.edge import EDGE as TELEGRAM
from adapters.telegram.handlers import Bridge
from bot.chat import ChatRef
from bot.reply import Reply, Text
from meetbridge.compose import App, build_app
from tests.support.edges import telegram_config
from tests.support.telegram_api import FakeTelegram, FakeTelegramServer, message_update, person
from tests.support.waiting import until, until_async

pytestmark = pytest.mark.timeout(60)

GROUP, SUPERGROUP = -4001, -1_000_000_004_001
ALICE = person(7, "alice")


@dataclass
class Running:
    telegram: FakeTelegram
    app: App
    bot_id: str

    def chat(self, chat_id: int) -> ChatRef:
        return ChatRef("telegram", self.bot_id, str(chat_id))

    async def topics(self, chat_id: int) -> list[str]:
        async with self.app.deps.uow() as uow:
            return [m.topic for m in await uow.meetings.list_active(self.chat(chat_id))]

    async def say(self, text: str, chat_id: int) -> None:
        answers = len(self.telegram.sent(chat_id))
        self.telegram.queue_update(message_update(text, chat_id=chat_id, sender=ALICE))
        await until(
            lambda: len(self.telegram.sent(chat_id)) > answers, within=20, what=f"answer to {text}"
        )


@pytest.fixture
async def running(tmp_path: Path) -> AsyncIterator[Running]:
    server = FakeTelegramServer()
    await asyncio.to_thread(server.start)
    settings = telegram_config(server, tmp_path, telegram_polling=True)
    try:
        async with build_app(settings) as app:
            config = TelegramConfig.from_settings(settings.of(TELEGRAM), None)
            component = TelegramComponent(config, Bridge(app.service, app.deps.uow), app.messengers)
            await component.start()
            await component.wait_connected()
            try:
                yield Running(server.state, app, str(server.state.bot_id))
            finally:
                await component.stop()
    finally:
        await asyncio.to_thread(server.stop)


def migration_notice(old: int, new: int) -> dict[str, Any]:
    """The service message Telegram posts in the old group."""
    return {
        "message": {
            "message_id": 99,
            "date": int(time.time()),
            "chat": {"id": old, "type": "group", "title": "Team"},
            "from": ALICE,
            "migrate_to_chat_id": new,
        }
    }


async def test_the_migration_notice_moves_the_groups_meetings(running: Running) -> None:
    await running.say("/meet tomorrow 15:00 Standup", GROUP)
    assert await running.topics(GROUP) == ["Standup"]

    running.telegram.queue_update(migration_notice(GROUP, SUPERGROUP))

    async def moved() -> bool:
        return await running.topics(SUPERGROUP) == ["Standup"]

    await until_async(moved, within=20, what="the meeting to move to the supergroup")
    assert await running.topics(GROUP) == []

    # The supergroup manages the meeting it inherited.
    await running.say("/meet list", SUPERGROUP)
    assert "Standup" in running.telegram.sent(SUPERGROUP)[-1].text


async def test_a_reminder_to_the_old_id_arrives_in_the_supergroup(running: Running) -> None:
    await running.say("/meet tomorrow 15:00 Retro", GROUP)
    # The bot missed the notice: Telegram answers the next send with the new id.
    running.telegram.migrated[GROUP] = SUPERGROUP
    old = running.chat(GROUP)

    await running.app.messengers.for_chat(old).send(old, Reply((Text("Retro in 10 min"),)))

    assert [c.text for c in running.telegram.sent(SUPERGROUP)] == ["Retro in 10 min"]
    assert await running.topics(SUPERGROUP) == ["Retro"]
    assert await running.topics(GROUP) == []
