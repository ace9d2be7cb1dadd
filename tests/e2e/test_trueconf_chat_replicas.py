"""Two ``meetbridge serve`` replicas on one database, one chat server and one
TrueConf server: exactly one holds the bot's connection, and everything the
bridge says in TrueConf chats goes over it. The other opens no connection
at all: it claims no reminder for a TrueConf chat. Killed, the holder hands
over within seconds; the reminder that came due while it was dying is sent
once, by the new holder, and the live card is edited in place over the new
connection.

On the real clock, as the replica test: reminders (REMINDER_DEFAULT_OFFSETS
1m) fall on whole minutes. The first meeting's reminder comes due while both
run; the holder is killed a few seconds before the second's."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from adapters.telegram.webhook import PATH as WEBHOOK_PATH
from adapters.telegram.webhook import SECRET_HEADER
from adapters.trueconf.sandbox import SandboxServer
from adapters.trueconf_chat.sandbox import BOT_LOGIN, ChatSandboxServer, StoredMessage
from tests.support.processes import kill_process
from tests.support.serve import ServeProcess, wait_until
from tests.support.telegram_api import FakeTelegramServer, message_update, person
from tests.support.trueconf_chat import chat_sandbox, chatbot_env

pytestmark = pytest.mark.timeout(360)

TAKEOVER = 30.0  # the lease (10 s) and a renewal (3 s), with room for a slow machine
# Time to send the commands and have their reminders planned before the first is due.
MARGIN = timedelta(seconds=25)
# The holder dies this long before the second reminder is due: it comes due
# while nobody holds the connection (the lease runs 10 s more).
DYING = timedelta(seconds=5)


@pytest.fixture
def chat() -> Iterator[ChatSandboxServer]:
    yield from chat_sandbox()


def _replica(
    chat: ChatSandboxServer, sandbox: SandboxServer, cwd: Path, database_url: str, **env: str
) -> ServeProcess:
    cwd.mkdir()
    return ServeProcess(
        env={
            "DATABASE_URL": database_url,
            **chatbot_env(chat),
            # One conference server for both: the new holder watches the
            # conference the old one made.
            "TRUECONF_SERVER_URL": sandbox.base_url,
            "TRUECONF_CLIENT_ID": sandbox.client_id,
            "TRUECONF_CLIENT_SECRET": sandbox.client_secret,
            "TRUECONF_SERVER_TIMEZONE": "Europe/Moscow",
            "REMINDER_DEFAULT_OFFSETS": "1m",
            "LIVE_POLL_SECONDS": "1",
            **env,
        },
        cwd=cwd,
        ready_timeout=60,
    )


def _from_bot(chat: ChatSandboxServer, chat_id: str, words: str) -> list[StoredMessage]:
    return [m for m in chat.state.messages(chat_id) if m.author == BOT_LOGIN and words in m.text]


def _card(chat: ChatSandboxServer, team: str, topic: str) -> StoredMessage:
    found: list[StoredMessage] = chat.state.wait_for(
        lambda _: _from_bot(chat, team, topic), timeout=30
    )
    return found[0]


def _number(card: StoredMessage) -> str:
    return card.text.split("#", 1)[1].split()[0]


def test_only_the_holder_speaks_and_a_killed_holder_loses_no_reminder(
    chat: ChatSandboxServer, sandbox: SandboxServer, tmp_path: Path, database_url: str
) -> None:
    team = chat.state.group("Team", ["alice", "bob"])
    first = _replica(chat, sandbox, tmp_path / "a", database_url)
    second = _replica(chat, sandbox, tmp_path / "b", database_url)
    with first, second:
        chat.state.wait_for(lambda _: chat.hub.bot_online, timeout=TAKEOVER)
        holder, standby = (
            (first, second) if "holds the bot's connection" in first.log else (second, first)
        )
        assert "holds the bot's connection" in holder.log
        [held] = chat.hub.bot_connections

        # Two meetings a minute apart: the first's reminder comes due while
        # both replicas run, the second's as the holder dies.
        due = (datetime.now(UTC) + MARGIN + timedelta(minutes=1)).replace(second=0, microsecond=0)
        starts = [due + timedelta(minutes=1), due + timedelta(minutes=2)]
        for start, topic in zip(starts, ("Standup", "Retro"), strict=True):
            chat.say("alice", team, f"/meet once {start:%Y-%m-%d %H:%M} for 30m {topic}")
        cards = [_card(chat, team, topic) for topic in ("Standup", "Retro")]
        reminders = [f"Reminder: #{_number(card)}" for card in cards]

        chat.state.wait_for(lambda _: _from_bot(chat, team, reminders[0]), timeout=150)
        # Everything so far went over the holder's one connection: the
        # standby opened none, not even to send the reminder it could claim.
        assert chat.hub.connects == 1
        said = [m for m in chat.state.messages(team) if m.author == BOT_LOGIN]
        assert {m.sent_over for m in said} == {held}
        assert "holds the bot's connection" not in standby.log

        dying = starts[1] - timedelta(minutes=1) - DYING
        wait_until(lambda: datetime.now(UTC) >= dying, timeout=90, what="the holder's last moments")
        assert not _from_bot(chat, team, reminders[1])
        edits = chat.state.message(cards[1].id).edited_over
        assert set(edits) <= {held}
        assert holder.process is not None
        kill_process(holder.process)  # no stop, no release: its lease runs out
        chat.state.wait_for(
            lambda _: len(chat.hub.bot_connections) == 2 and chat.hub.bot_online, timeout=TAKEOVER
        )
        taken = chat.hub.bot_connections[1]
        assert "holds the bot's connection" in standby.log
        [late] = chat.state.wait_for(lambda _: _from_bot(chat, team, reminders[1]), timeout=60)
        assert late.sent_over == taken

        # The live card after the takeover: edited in place over the new connection.
        chat.say("alice", team, f"/meet start {_number(cards[1])}")
        edited = chat.state.wait_for(
            lambda _: (
                (m := chat.state.message(cards[1].id)).edited and "Running now" in m.text and m
            ),
            timeout=60,
        )
        assert set(edited.edited_over[len(edits) :]) == {taken}
        assert standby.stop() == 0

    for reminder, connection in zip(reminders, (held, taken), strict=True):
        [sent] = _from_bot(chat, team, reminder)  # once: none lost, none doubled
        assert sent.sent_over == connection
    assert chat.hub.most_bots == 1  # never two connections of the bot at once
    assert chat.hub.connects == 2
    assert "Traceback" not in standby.log


def test_a_link_request_taken_by_the_standby_is_put_by_the_holder(
    chat: ChatSandboxServer, sandbox: SandboxServer, tmp_path: Path, database_url: str
) -> None:
    """A Telegram person's /meet link reaches the replica without the
    connection: it opens none; the holder asks the TrueConf user, once."""
    secret = "replicas-link-secret"
    with FakeTelegramServer() as telegram:
        env = {
            "TELEGRAM_BOT_TOKEN": telegram.state.token,
            "TELEGRAM_API_URL": telegram.url,
            "TELEGRAM_ALLOWED_CHATS": "*",
            "TELEGRAM_WEBHOOK_SECRET": secret,
        }
        first = _replica(chat, sandbox, tmp_path / "a", database_url, **env)
        second = _replica(chat, sandbox, tmp_path / "b", database_url, **env)
        with first, second:
            chat.state.wait_for(lambda _: chat.hub.bot_online, timeout=TAKEOVER)
            standby = second if "holds the bot's connection" in first.log else first
            [held] = chat.hub.bot_connections
            pat = person(4242, "pat")
            update = message_update("/meet link alice", chat_id=4242, sender=pat, message_id=1)
            update["update_id"] = telegram.state.next_update_id()
            answer = httpx.post(
                standby.url(WEBHOOK_PATH), json=update, headers={SECRET_HEADER: secret}, timeout=10
            )
            assert answer.status_code == 200
            alices = chat.state.personal(BOT_LOGIN, "alice")
            [question] = chat.state.wait_for(
                lambda _: [m for m in chat.state.messages(alices) if "asks" in m.text],
                timeout=30,
            )
            assert question.sent_over == held
            chat.press("alice", question, "Confirm")
            chat.state.wait_for(
                lambda _: [m for m in chat.state.messages(alices) if "now uses" in m.text],
                timeout=30,
            )
            wait_until(
                lambda: any(
                    "confirmed in TrueConf chat" in m.text for m in telegram.state.sent(4242)
                ),
                timeout=30,
                what="pat told the link is made",
            )
        assert chat.hub.connects == 1  # the standby opened none
        assert [m for m in chat.state.messages(alices) if "asks" in m.text] == [question]
        assert "Traceback" not in first.log + second.log
