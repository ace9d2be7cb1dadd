"""Live cards over real HTTP: ``meetbridge serve`` with Slack and Telegram on
their strict fakes and TrueConf on its sandbox, on SQLite and PostgreSQL.

The card the bridge posted is edited in place (chat.update,
editMessageText) when the meeting starts, when someone joins and when it
ends, and not when nothing changed; a deleted card is left alone; the end
brings one summary built from the server's call logs; a meeting left
empty gets a note whose Stop button ends it. Polls run every second here
(LIVE_POLL_SECONDS=1); waits are on conditions with deadlines."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from adapters.trueconf.sandbox import SandboxServer
from tests.e2e.slack.support import (
    SlackWorld,
    assert_clean_log,
    serve_settings,
    strict_slack,
)
from tests.support.block_kit import mrkdwn_of
from tests.support.fake_slack import Call as SlackCall
from tests.support.fake_slack import FakeSlack, slack_user
from tests.support.serve import ServeProcess, wait_until
from tests.support.telegram_api import FakeTelegram, FakeTelegramServer, person
from tests.support.telegram_chat import SECRET, Chat, buttons

pytestmark = pytest.mark.timeout(400)

ALICE = person(601, "alice", lang="en")
_places = itertools.count(1)
USERS = [slack_user("UCREATOR", "carol", email="carol@example.com")]


@pytest.fixture(scope="module")
def slack() -> Iterator[FakeSlack]:
    yield from strict_slack(USERS)


@pytest.fixture(scope="module")
def telegram() -> Iterator[FakeTelegramServer]:
    with FakeTelegramServer(FakeTelegram(scale=0.05)) as server:
        yield server


@dataclass
class World:
    served: ServeProcess
    slack: SlackWorld
    telegram: FakeTelegramServer
    sandbox: SandboxServer

    def polls(self, conference_id: str) -> int:
        """How often the bridge asked the server about the conference."""
        return sum(
            1
            for e in self.sandbox.state.request_log
            if e.endpoint == "GET /conferences/{id}" and e.segments[3:] == (conference_id,)
        )

    def wait_polls(self, conference_id: str, more: int) -> None:
        target = self.polls(conference_id) + more
        wait_until(
            lambda: self.polls(conference_id) >= target,
            timeout=60,
            what=f"{more} more polls of {conference_id}",
        )

    def new_conference(self, before: set[str]) -> str:
        wait_until(
            lambda: set(self.sandbox.state.conference_ids()) - before != set(),
            timeout=20,
            what="a new conference",
        )
        [made] = set(self.sandbox.state.conference_ids()) - before
        return made


@pytest.fixture
def world(
    database_url: str,
    sandbox: SandboxServer,
    slack: FakeSlack,
    telegram: FakeTelegramServer,
    tmp_path: Path,
) -> Iterator[World]:
    env = serve_settings(
        slack,
        sandbox,
        DATABASE_URL=database_url,
        TRUECONF_TIMEOUT_SECONDS="10",
        TELEGRAM_BOT_TOKEN=telegram.state.token,
        TELEGRAM_ALLOWED_CHATS="*",
        TELEGRAM_WEBHOOK_SECRET=SECRET,
        TELEGRAM_API_URL=telegram.url,
        LIVE_POLL_SECONDS="1",
        IDLE_STOP_MINUTES="1",
        REMINDER_SWEEP_SECONDS="0.5",
        REMINDER_DEFAULT_OFFSETS="off",
    )
    with ServeProcess(env=env, cwd=tmp_path, ready_timeout=60) as served:
        yield World(served, SlackWorld(served, slack, sandbox), telegram, sandbox)
    assert_clean_log(served, sandbox)


def _shown(call: SlackCall) -> str:
    return " ".join([str(call.params.get("text", "")), *mrkdwn_of(call.params.get("blocks", []))])


def _updates(slack: FakeSlack, ts: str) -> list[str]:
    return [_shown(c) for c in slack.calls("chat.update") if c.params.get("ts") == ts]


def _wait_update(slack: FakeSlack, ts: str, needle: str) -> None:
    wait_until(
        lambda: any(needle in text for text in _updates(slack, ts)),
        timeout=60,
        what=f"the card {ts} updated to show {needle!r}",
    )


def test_a_slack_card_follows_its_meeting_and_a_summary_closes_it(world: World) -> None:
    slack = world.slack.slack
    channel = f"C0LIVE{next(_places)}"
    before_posts = len(slack.calls("chat.postMessage"))
    before = set(world.sandbox.state.conference_ids())
    world.slack.command("tomorrow 15:00 for 1h Live review", channel=channel)
    [card] = [
        c
        for c in slack.wait_for_calls("chat.postMessage", before_posts + 1)[before_posts:]
        if c.params["channel"] == channel
    ]
    shown = _shown(card)
    assert "Scheduled" in shown
    number = re.search(r"Meeting #(\d+)", shown)
    assert number is not None
    [ts] = [ts for (where, ts) in slack.state.messages if where == channel]
    conference = world.new_conference(before)

    world.slack.command(f"start {number.group(1)}", channel=channel)  # it starts
    _wait_update(slack, ts, "Running now, nobody in yet")
    world.sandbox.state.join(conference, "alice")  # someone joins
    _wait_update(slack, ts, "Running now: 1 in — Alice Archer")
    edits = len(_updates(slack, ts))
    world.wait_polls(conference, 3)
    assert len(_updates(slack, ts)) == edits  # nothing changed: no edit

    posts = len(slack.calls("chat.postMessage"))
    world.slack.command(f"stop {number.group(1)}", channel=channel)  # it ends
    _wait_update(slack, ts, "Ended")
    wait_until(
        lambda: any("has ended" in _shown(c) for c in slack.calls("chat.postMessage")[posts:]),
        timeout=60,
        what="the summary",
    )
    [summary] = [c for c in slack.calls("chat.postMessage")[posts:] if "has ended" in _shown(c)]
    assert summary.params["channel"] == channel
    assert "Alice Archer" in _shown(summary)  # from the sandbox's call log
    summaries = [
        c
        for c in slack.calls("chat.postMessage")
        if c.params["channel"] == channel and "has ended" in _shown(c)
    ]
    assert len(summaries) == 1


def _message_id(telegram: FakeTelegramServer, group: int, needle: str) -> int:
    with telegram.state.lock:
        found = [
            message
            for (chat, message), (text, _) in telegram.state.messages.items()
            if chat == group and needle in text
        ]
    assert len(found) == 1, found
    return found[0]


def _edits(telegram: FakeTelegramServer, message_id: int) -> list[str]:
    return [
        c.text
        for c in telegram.state.called("editMessageText")
        if int(c.params["message_id"]) == message_id
    ]


def test_a_telegram_card_is_edited_until_deleted_and_an_empty_meeting_is_stopped(
    world: World,
) -> None:
    telegram = world.telegram
    group_id = -100700 - next(_places)
    group = Chat(telegram, world.served, group_id)
    before = set(world.sandbox.state.conference_ids())
    card = group.say("/meet now Telegram live", ALICE)
    assert "Running now, nobody in yet" in card.text
    conference = world.new_conference(before)
    message = _message_id(telegram, group_id, "Telegram live")

    world.sandbox.state.join(conference, "bob")
    wait_until(
        lambda: any("Bob Baker" in text for text in _edits(telegram, message)),
        timeout=60,
        what="the card edited to show Bob",
    )
    edits = len(_edits(telegram, message))
    world.wait_polls(conference, 3)
    assert len(_edits(telegram, message)) == edits  # nothing changed: no edit

    telegram.state.delete_message(group_id, message)  # someone deletes the card
    world.sandbox.state.join(conference, "carol")
    wait_until(
        lambda: len(_edits(telegram, message)) == edits + 1,
        timeout=60,
        what="the one edit Telegram refuses",
    )
    world.sandbox.state.join(conference, "dave")
    world.wait_polls(conference, 3)
    assert len(_edits(telegram, message)) == edits + 1  # not tracked any more
    assert "Traceback" not in world.served.log

    for login in ("bob", "carol", "dave"):
        world.sandbox.state.leave(conference, login)
    wait_until(  # IDLE_STOP_MINUTES (one) with nobody in
        lambda: any("nobody in for" in c.text for c in telegram.state.sent(group_id)),
        timeout=150,
        what="the note about the empty meeting",
    )
    [note] = [c for c in telegram.state.sent(group_id) if "nobody in for" in c.text]
    stop = buttons(note)["Stop"]
    group.press(note, stop["callback_data"], ALICE, query_id="stop-1")
    group.answer("stop-1")
    wait_until(
        lambda: any("has ended" in c.text for c in telegram.state.sent(group_id)),
        timeout=60,
        what="the summary after the Stop press",
    )
    [summary] = [c for c in telegram.state.sent(group_id) if "has ended" in c.text]
    assert "Bob Baker" in summary.text
    assert "Carol Cooper" in summary.text


def test_where_the_bot_is_no_member_the_card_comes_by_the_response_url(world: World) -> None:
    slack = world.slack.slack
    channel = f"C0OUT{next(_places)}"
    slack.state.bot_channels = {"C0ELSEWHERE"}  # Slack refuses chat.postMessage there
    try:
        before = set(world.sandbox.state.conference_ids())
        _, _, name = world.slack.command("now Outside", channel=channel)
        [card] = slack.wait_for_responses(name, 1, timeout=60)
        assert card["response_type"] == "in_channel"
        assert "Running now, nobody in yet" in " ".join(mrkdwn_of(card["blocks"]))
        conference = world.new_conference(before)
        world.sandbox.state.join(conference, "alice")
        world.wait_polls(conference, 3)
        # Polled all the same, but no card of its own to edit: nothing tried.
        assert not [c for c in slack.calls("chat.update") if c.params["channel"] == channel]
    finally:
        slack.state.bot_channels = None
