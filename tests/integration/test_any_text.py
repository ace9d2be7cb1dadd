"""Whatever text arrives, the real service answers it: a result or a specific
message, never the internal-error reply and never silence.

The text goes the way a Telegram message goes: decoded by python-telegram-bot
from the JSON Telegram sends, turned into a command by the Telegram adapter
(UTF-16 entity offsets and all), answered by the service ``build_app``
assembles, over SQLite and the TrueConf sandbox on loopback HTTP. The
characters include control and format characters and lone surrogates (JSON's
``\\ud800`` escapes decode to those).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from telegram import Bot, Update

from adapters.telegram.updates import command_input
from bot.chat import LANGS
from bot.clock import FrozenClock
from bot.commands import MeetingForm
from bot.i18n import Translator
from bot.reply import Capabilities, error_reply
from meetbridge.compose import App, build_app
from meetbridge.config import load_config

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
INTERNAL = {error_reply(Translator(lang)("error.internal")).plain_text() for lang in LANGS}
BOT_ID = 999

WORDS = st.sampled_from(
    ["now", "tomorrow", "15:00", "for", "30m", "list", "info", "1", "weekly", "mon",
     "remind", "10m", "@alice", "«", '"', "tz", "lang", "ru", "guest", "help"]
)  # fmt: skip
ODD = st.characters(categories=["Cc", "Cf", "Cs", "Co", "Zs", "Zl", "Zp", "Mn"])
TEXTS = st.one_of(
    st.text(max_size=60),
    st.text(ODD, max_size=20),
    st.lists(st.one_of(WORDS, st.text(ODD, min_size=1, max_size=3)), max_size=8).map(" ".join),
)


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[App]:
    """One bridge for all of a test's examples (they share its database)."""
    path = tmp_path / "bridge.db"
    settings = load_config(
        env_file=None,
        database_url=f"sqlite+aiosqlite:///{path}",
        trueconf_server_url="sandbox",
        trueconf_owner="admin",
    )
    async with build_app(settings, clock=FrozenClock(NOW)) as built:
        yield built


def telegram_update(text: str) -> Update:
    """The update Telegram would post for a private ``/meet <text>``, through
    PTB's own decoding of the JSON (surrogates travel as ``\\ud800`` escapes)."""
    line = f"/meet {text}"
    raw = json.dumps(
        {
            "update_id": 1,
            "message": {
                "message_id": 1,
                "date": int(NOW.timestamp()),
                "chat": {"id": 4242, "type": "private", "first_name": "Eve"},
                "from": {"id": 4242, "is_bot": False, "first_name": "Eve"},
                "text": line,
                "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
            },
        }
    )
    return Update.de_json(json.loads(raw), Bot("1:x"))


@pytest.mark.timeout(300)
@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(TEXTS)
@example("now \ud800 x")
@example("now Plan \udfff\ud800")
@example("\x00\u202e\u2066 now")
@example("list \ufeff")
async def test_any_text_gets_a_message_or_a_result(app: App, text: str) -> None:
    message = telegram_update(text).effective_message
    assert message is not None
    command = command_input(message, bot_id=BOT_ID)
    assert command is not None
    reply = await app.service.handle(command, Capabilities())
    answer = reply.plain_text()
    assert answer.strip()  # never silence
    assert answer not in INTERNAL


async def test_a_lone_surrogate_is_named_with_its_place(app: App) -> None:
    message = telegram_update("now Plan \ud800 review").effective_message
    assert message is not None
    command = command_input(message, bot_id=BOT_ID)
    assert command is not None
    reply = await app.service.handle(command, Capabilities())
    assert reply.is_error
    assert "could not be read" in reply.plain_text()
    assert "number 10" in reply.plain_text()


async def test_a_lone_surrogate_in_a_forms_topic_is_named_not_an_internal_error(
    app: App,
) -> None:
    # From an attacker's trial: a Slack form's JSON may carry "\ud800"; the
    # topic reached the conference server's JSON encoder, which failed.
    message = telegram_update("now Plan").effective_message
    assert message is not None
    typed = command_input(message, bot_id=BOT_ID)
    assert typed is not None
    form = MeetingForm(at=time(15, 0), day=date(2030, 1, 2), topic="Plan \ud800 review")
    reply = await app.service.handle(replace(typed, command=form), Capabilities())
    assert reply.is_error
    assert reply.plain_text() not in INTERNAL
    assert "could not be read" in reply.plain_text()
