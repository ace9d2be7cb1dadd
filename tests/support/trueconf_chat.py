"""The TrueConf chat-bot sandbox as the tests reach it: the settings that
point ``meetbridge serve`` at it, the bot's own messages in a chat, and a
real ``python-trueconf-bot`` client signed in to it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager

from trueconf import Bot

from adapters.trueconf_chat.sandbox import BOT_LOGIN, ChatSandboxServer, StoredMessage


def chat_sandbox() -> Iterator[ChatSandboxServer]:
    """The body of a ``chat`` fixture: one sandbox, stopped after the test."""
    with ChatSandboxServer() as sandbox:
        yield sandbox


def chatbot_env(chat: ChatSandboxServer) -> dict[str, str]:
    """The settings that sign the bridge in to ``chat`` as the bot."""
    return {
        "TRUECONF_CHATBOT_URL": chat.base_url,
        "TRUECONF_CHATBOT_LOGIN": BOT_LOGIN,
        "TRUECONF_CHATBOT_PASSWORD": chat.bot_password,
    }


def bot_messages(chat: ChatSandboxServer, chat_id: str) -> list[StoredMessage]:
    """What the bot has said in ``chat_id`` so far, oldest first."""
    return [m for m in chat.state.messages(chat_id) if m.author == BOT_LOGIN]


@asynccontextmanager
async def signed_in_bot(chat: ChatSandboxServer) -> AsyncIterator[Bot]:
    """The real library's bot, signed in to ``chat``; shut down on the way out."""
    port = int(chat.base_url.rsplit(":", 1)[1])
    bot = await asyncio.to_thread(
        Bot.from_credentials,
        "127.0.0.1",
        BOT_LOGIN,
        chat.bot_password,
        https=False,
        web_port=port,
    )
    await bot.start()
    try:
        await asyncio.wait_for(bot.authorized_event.wait(), 10)
        yield bot
    finally:
        await bot.shutdown(timeout=1)
