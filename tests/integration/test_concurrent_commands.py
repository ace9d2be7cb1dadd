"""Commands that write, many at once, on one database: none of them fails.

SQLite has one writer at a time. A transaction that reads and then writes
must take the write lock when it begins: begun as a reader, it cannot become
the writer once another has committed, and SQLite answers "database is
locked" at once (twelve concurrent ``/meet remind`` used to answer "Something
went wrong" 30 times of 36).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.chat import ChatRef, UserRef
from bot.clock import FrozenClock
from bot.commands import CommandInput
from bot.i18n import Translator
from bot.reply import Capabilities, Reply
from meetbridge.compose import App, build_app
from meetbridge.config import load_config

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
INTERNAL = Translator("en")("error.internal")


@pytest.fixture
async def app(database_url: str) -> AsyncIterator[App]:
    settings = load_config(
        env_file=None,
        database_url=database_url,
        trueconf_server_url="sandbox",
        trueconf_owner="helen",
    )
    async with build_app(settings, clock=FrozenClock(NOW)) as built:
        yield built


async def say(app: App, text: str, chat: str, user: str = "helen") -> Reply:
    command_input = CommandInput(
        text=text,
        chat=ChatRef("console", "local", chat),
        user=UserRef("console", "local", user, user),
    )
    return await app.service.handle(command_input, Capabilities())


@pytest.mark.timeout(120)
async def test_36_concurrent_writing_commands_all_succeed(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    meetings = []
    for n in range(12):
        created = await say(app, f"tomorrow 15:00 for 1h Meeting {n}", chat=f"chat{n}")
        assert not created.is_error, created.plain_text()
        meetings.append(n + 1)
    caplog.set_level(logging.WARNING)
    offsets = ("10m", "10m,1h", "5m,30m,1d")
    commands = [
        say(app, f"remind {number} {offsets[i % 3]}", chat=f"chat{number - 1}")
        for i, number in enumerate(meetings * 3)
    ]
    replies = await asyncio.gather(*commands)
    failed = [r.plain_text() for r in replies if r.is_error]
    assert failed == [], f"{len(failed)} of {len(replies)} failed, e.g. {failed[0]}"
    assert not any(r.plain_text().startswith(INTERNAL) for r in replies)
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [], [r.getMessage() for r in errors]
