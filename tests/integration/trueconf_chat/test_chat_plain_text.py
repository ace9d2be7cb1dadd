"""A plain line typed to the bot in a personal TrueConf chat, without /meet,
is answered with the /meet line it most likely meant (shown, never run); in a
group, or from a chat the allowlist refuses, nothing changes. Each message
through the handlers as the real library reads it from the chat sandbox."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from trueconf import Bot
from trueconf.types.message import Message

from adapters.trueconf_chat.handlers import ChatBridge, Handlers
from adapters.trueconf_chat.inbound import PLATFORM
from adapters.trueconf_chat.sandbox import BOT_LOGIN, ChatSandboxServer
from bot.chat import ChatRef
from meetbridge.compose import App, build_app
from tests.support.edges import sandbox_config
from tests.support.trueconf_chat import bot_messages, signed_in_bot

pytestmark = pytest.mark.timeout(60)


@dataclass
class World:
    chat: ChatSandboxServer
    bot: Bot
    app: App
    handlers: Handlers

    async def say(self, login: str, chat_id: str, text: str, parse_mode: str = "text") -> list[str]:
        """What the bot said in ``chat_id`` in answer to ``text``."""
        before = len(bot_messages(self.chat, chat_id))
        self.chat.say(login, chat_id, text, parse_mode=parse_mode)
        (message,) = (await self.bot.get_chat_history(chat_id, 1)).messages
        assert isinstance(message, Message)
        await self.handlers.on_message(message, self.bot)
        return [m.text for m in bot_messages(self.chat, chat_id)[before:]]

    def personal(self, login: str) -> str:
        return self.chat.state.personal(BOT_LOGIN, login)

    async def meetings(self, chat_id: str) -> int:
        async with self.app.deps.uow() as uow:
            return len(await uow.meetings.list_active(ChatRef(PLATFORM, "sandbox", chat_id)))


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    config = sandbox_config(f"sqlite+aiosqlite:///{tmp_path / 'bridge.db'}")
    async with (
        build_app(config) as app,
        ChatSandboxServer() as chat,
        signed_in_bot(chat) as bot,
    ):
        team = chat.state.group("Team", ["alice", "bob"])
        allowed = frozenset({team, chat.state.personal(BOT_LOGIN, "alice")})
        bridge = ChatBridge(app.service, app.deps.uow, "sandbox", allowed, zone="Europe/Moscow")
        yield World(chat, bot, app, Handlers(bridge))


async def test_a_line_that_reads_as_a_command_gets_it_with_meet_in_front(world: World) -> None:
    alices = world.personal("alice")
    (answer,) = await world.say("alice", alices, "tomorrow 15:00 R&D <review>")
    assert "Commands to me start with /meet" in answer
    assert "/meet tomorrow 15:00 R&amp;D &lt;review&gt;" in answer
    assert await world.meetings(alices) == 0  # suggested, not run


async def test_a_mention_is_suggested_as_typed(world: World) -> None:
    alices = world.personal("alice")
    typed = f"tomorrow 15:00 Sync {world.chat.mention('bob')}"
    (answer,) = await world.say("alice", alices, typed, parse_mode="html")
    assert "/meet tomorrow 15:00 Sync @bob" in answer


async def test_a_line_that_reads_as_no_command_gets_meet_help(world: World) -> None:
    (answer,) = await world.say("alice", world.personal("alice"), "hello, what can you do?")
    assert "/meet help" in answer
    assert "To see what I can do" in answer


async def test_a_group_line_and_another_command_get_nothing(world: World) -> None:
    team = next(c for c in world.chat.state.chats if c.startswith("group-"))
    assert await world.say("alice", team, "tomorrow 15:00 Review") == []
    assert await world.say("alice", world.personal("alice"), "/meeting tomorrow") == []


async def test_a_refused_chat_gets_what_it_got_before(world: World) -> None:
    bobs = world.personal("bob")  # not on the allowlist
    assert await world.say("bob", bobs, "tomorrow 15:00 Review") == []
    (refusal,) = await world.say("bob", bobs, "/meet help")
    assert "TRUECONF_CHATBOT_ALLOWED_CHATS" in refusal


async def test_an_answering_account_gets_one_hint_not_a_loop(world: World) -> None:
    # Another bot on the server (a second bridge asked to confirm a link, an
    # auto-reply) answers each message in its personal chat with a plain line:
    # a hint to each answer would go back and forth for ever.
    alices = world.personal("alice")
    (hint,) = await world.say("alice", alices, "Auto-reply: I am away")
    assert "/meet help" in hint
    assert await world.say("alice", alices, "Auto-reply: I am away") == []
    assert await world.say("alice", alices, "Auto-reply: I am away") == []


async def test_a_command_between_plain_lines_brings_the_hint_back(world: World) -> None:
    alices = world.personal("alice")
    assert await world.say("alice", alices, "list")
    assert await world.say("alice", alices, "/meet list")
    (again,) = await world.say("alice", alices, "tomorrow 15:00 Review")
    assert "/meet tomorrow 15:00 Review" in again


async def test_a_hint_that_could_not_be_posted_is_given_to_the_next_line(world: World) -> None:
    alices = world.personal("alice")
    world.chat.say("alice", alices, "Auto-reply: I am away")
    (message,) = (await world.bot.get_chat_history(alices, 1)).messages
    assert isinstance(message, Message)
    members = world.chat.state.chats[alices].members
    members.remove(BOT_LOGIN)  # the server refuses the hint: not a participant
    await world.handlers.on_message(message, world.bot)
    members.append(BOT_LOGIN)
    assert bot_messages(world.chat, alices) == []
    (hint,) = await world.say("alice", alices, "tomorrow 15:00 Review")
    assert "/meet tomorrow 15:00 Review" in hint


@pytest.fixture
async def replicas(database_url: str) -> AsyncIterator[tuple[World, Handlers]]:
    """Two replicas on one database: the world's handlers and another's."""
    async with (
        build_app(sandbox_config(database_url)) as app,
        ChatSandboxServer() as chat,
        signed_in_bot(chat) as bot,
    ):
        allowed = frozenset({chat.state.personal(BOT_LOGIN, "alice")})

        def replica() -> Handlers:
            return Handlers(ChatBridge(app.service, app.deps.uow, "sandbox", allowed))

        yield World(chat, bot, app, replica()), replica()


async def test_the_hint_is_once_per_chat_across_replicas_and_restarts(
    replicas: tuple[World, Handlers],
) -> None:
    world, other = replicas
    alices = world.personal("alice")
    assert await world.say("alice", alices, "Auto-reply: I am away")
    world.handlers = other  # the next message reaches another replica
    assert await world.say("alice", alices, "Auto-reply: I am away") == []
    world.handlers = Handlers(other.bridge)  # that replica restarted
    assert await world.say("alice", alices, "Auto-reply: I am away") == []
    assert await world.say("alice", alices, "/meet list")
    world.handlers = Handlers(other.bridge)
    (again,) = await world.say("alice", alices, "tomorrow 15:00 Review")
    assert "/meet tomorrow 15:00 Review" in again
