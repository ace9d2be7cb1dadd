"""What is for one person (a PIN, a guest link, an error) reaches their private
chat and never a group; who never started the bot gets it through the
``/start <token>`` hand-over, once, and nobody else does."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from telegram import Chat, User
from telegram.ext import ExtBot

from adapters.telegram.answers import Answers
from bot.clock import FrozenClock
from bot.reply import Reply, Text, Tone, Visibility
from tests.fakes import MemoryUnitOfWorkFactory
from tests.support.telegram_api import FakeTelegram, FakeTelegramServer

pytestmark = pytest.mark.timeout(60)

GROUP = Chat(-100, Chat.SUPERGROUP)
PAT = User(501, "Pat", False, language_code="ru")
EVE = User(666, "Eve", False)
CARD = Reply(
    (Text("Meeting #1 scheduled"),),
    private_notes=(Reply((Text("PIN for meeting #1: 4321"),), Visibility.PRIVATE),),
)
GUEST = Reply((Text("Guest link: https://video.example.com/g/secret"),), Visibility.PRIVATE)
ERROR = Reply(
    (Text("Only the person who created meeting #1 can change it.", Tone.ERROR),), Visibility.PRIVATE
)


class World:
    def __init__(self, bot: ExtBot[None], state: FakeTelegram) -> None:
        self.bot, self.state = bot, state
        self.clock = FrozenClock(datetime(2026, 12, 6, 9, 0, tzinfo=UTC))
        self.uow = MemoryUnitOfWorkFactory()
        self.answers = Answers(self.uow, self.clock, None)

    async def answer(self, reply: Reply, person: User | None = PAT) -> None:
        await self.answers.answer(self.bot, reply, chat=GROUP, person=person, reply_to=7)

    def texts(self, chat_id: int) -> list[str]:
        return [c.text for c in self.state.sent(chat_id)]

    def token(self) -> str:
        line = self.texts(GROUP.id)[-1]
        found = re.search(r"t\.me/MeetBridgeBot\?start=([A-Za-z0-9_-]+)", line)
        assert found is not None, line
        return found[1]


@pytest.fixture
async def world() -> AsyncIterator[World]:
    server = FakeTelegramServer(FakeTelegram(scale=0.0001))  # no flood limits to speak of
    await asyncio.to_thread(server.start)
    bot = ExtBot(server.state.token, base_url=f"{server.url}/bot")
    await bot.initialize()
    yield World(bot, server.state)
    await bot.shutdown()
    await asyncio.to_thread(server.stop)


async def test_the_pin_goes_to_the_person_the_card_to_the_group(world: World) -> None:
    await world.answer(CARD)
    assert world.texts(PAT.id) == ["PIN for meeting #1: 4321"]
    assert world.texts(GROUP.id) == ["Meeting #1 scheduled"]


@pytest.mark.parametrize("reply", [GUEST, ERROR], ids=["guest link", "error"])
async def test_a_private_reply_goes_to_the_person_alone(world: World, reply: Reply) -> None:
    await world.answer(reply)
    (private,) = world.texts(PAT.id)
    assert reply.plain_text() in private
    assert world.texts(GROUP.id) == []


async def test_who_never_started_the_bot_gets_it_by_the_start_link_once(world: World) -> None:
    world.state.strangers.add(PAT.id)
    await world.answer(CARD)
    token = world.token()
    assert world.texts(GROUP.id)[0] == "Meeting #1 scheduled"
    assert all("4321" not in text for text in world.texts(GROUP.id))
    assert len(token) >= 32
    assert all(token not in key for key in world.uow.state.parcels)  # only its digest

    await world.answers.hand_over(world.bot, token, person=EVE, chat_id=EVE.id)
    assert "4321" not in world.texts(EVE.id)[-1]

    world.state.strangers.discard(PAT.id)  # Pat presses Start
    await world.answers.hand_over(world.bot, token, person=PAT, chat_id=PAT.id)
    assert world.texts(PAT.id) == ["PIN for meeting #1: 4321"]
    await world.answers.hand_over(world.bot, token, person=PAT, chat_id=PAT.id)
    assert "4321" not in world.texts(PAT.id)[-1]
    assert len(world.texts(PAT.id)) == 2


async def test_a_kept_answer_expires(world: World) -> None:
    world.state.strangers.add(PAT.id)
    await world.answer(GUEST)
    token = world.token()
    world.clock.advance(timedelta(minutes=11))
    world.state.strangers.discard(PAT.id)
    await world.answers.hand_over(world.bot, token, person=PAT, chat_id=PAT.id)
    assert "secret" not in world.texts(PAT.id)[-1]


@pytest.mark.parametrize("token", ["", "short", "x" * 65, "a" * 40 + "!"])
async def test_a_malformed_token_gets_nothing(world: World, token: str) -> None:
    await world.answers.hand_over(world.bot, token, person=PAT, chat_id=PAT.id)
    assert (
        "Nothing is waiting" in world.texts(PAT.id)[-1] or "ничего нет" in world.texts(PAT.id)[-1]
    )


async def test_a_post_as_a_chat_hears_its_error_in_the_chat_and_nothing_private(
    world: World,
) -> None:
    await world.answer(ERROR, person=None)
    await world.answer(GUEST, person=None)
    texts = world.texts(GROUP.id)
    assert ERROR.plain_text() in texts[0]
    assert "secret" not in texts[1]
    assert "your own account" in texts[1]
