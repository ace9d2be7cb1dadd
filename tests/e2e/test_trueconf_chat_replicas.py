"""Two ``meetbridge serve`` replicas on one PostgreSQL database and one chat
server: exactly one holds the bot's connection; killed, the other takes it
over within seconds, answers, and sends the reminder that came due: once.

On the real clock, as the replica test: the meeting starts on a whole minute
with a 1-minute reminder that comes due after the takeover."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from adapters.trueconf_chat.sandbox import BOT_LOGIN, ChatSandboxServer, StoredMessage
from tests.support.processes import kill_process
from tests.support.serve import ServeProcess
from tests.support.trueconf_chat import chat_sandbox, chatbot_env

pytestmark = [pytest.mark.postgres, pytest.mark.timeout(240)]

TAKEOVER = 30.0  # the lease (10 s) and a renewal (3 s), with room for a slow machine


@pytest.fixture
def chat() -> Iterator[ChatSandboxServer]:
    yield from chat_sandbox()


def _replica(chat: ChatSandboxServer, cwd: Path, database_url: str) -> ServeProcess:
    cwd.mkdir()
    return ServeProcess(
        env={
            "DATABASE_URL": database_url,
            **chatbot_env(chat),
            "REMINDER_DEFAULT_OFFSETS": "1m",
        },
        cwd=cwd,
    )


def _from_bot(chat: ChatSandboxServer, chat_id: str, words: str) -> list[StoredMessage]:
    return [m for m in chat.state.messages(chat_id) if m.author == BOT_LOGIN and words in m.text]


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_killing_the_holder_hands_the_connection_over_and_loses_no_reminder(
    chat: ChatSandboxServer, tmp_path: Path, database_url: str
) -> None:
    team = chat.state.group("Team", ["alice", "bob"])
    first = _replica(chat, tmp_path / "a", database_url)
    second = _replica(chat, tmp_path / "b", database_url)
    with first, second:
        chat.state.wait_for(lambda _: chat.hub.bot_online, timeout=TAKEOVER)
        holder, standby = (
            (first, second) if "holds the bot's connection" in first.log else (second, first)
        )
        assert "holds the bot's connection" in holder.log
        remind_at = (datetime.now(UTC) + timedelta(seconds=40 + 60)).replace(
            second=0, microsecond=0
        )
        when = (remind_at + timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M")
        chat.say("alice", team, f"/meet once {when} for 30m Standup")
        card = chat.state.wait_for(lambda _: _from_bot(chat, team, "Standup"), timeout=30)[0]
        number = card.text.split("#", 1)[1].split()[0]
        connects = chat.hub.connects

        assert holder.process is not None
        kill_process(holder.process)  # no stop, no release: its lease runs out
        chat.state.wait_for(
            lambda _: chat.hub.connects > connects and chat.hub.bot_online, timeout=TAKEOVER
        )
        assert "holds the bot's connection" in standby.log
        chat.say("bob", team, "/meet now After takeover")
        chat.state.wait_for(lambda _: _from_bot(chat, team, "After takeover"), timeout=30)

        reminder = f"Reminder: #{number}"
        wait = (remind_at - datetime.now(UTC)).total_seconds() + 60
        chat.state.wait_for(lambda _: _from_bot(chat, team, reminder), timeout=wait)
        assert standby.stop() == 0
    assert len(_from_bot(chat, team, reminder)) == 1
    assert len(_from_bot(chat, team, "After takeover")) == 1
    assert chat.hub.most_bots == 1  # never two connections of the bot at once
