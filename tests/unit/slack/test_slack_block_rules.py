"""Every message and view the bridge renders for Slack keeps Block Kit's rules
(tests/support/block_kit.py): every reply of every command, in both
languages, with topics and invitee lists at their longest, the reminders and
the App Home view. Slack refuses a whole message that breaks one rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from adapters.http.calendar_feed import CalendarFeedLinks
from adapters.http.open_link import OpenLinks
from adapters.slack.home import home_view
from adapters.slack.modal import new_meeting_view
from adapters.slack.render import BlockRenderer
from bot.chat import ChatRef, Mention, Standing, UserRef
from bot.commands import CommandInput
from bot.meeting import DirectoryUser, Invitee, JoinInfo, Meeting
from bot.reminders.message import reminder_reply
from bot.reply import Capabilities, Reply
from bot.schedule import Weekday, Weekly
from bot.service import CommandService
from tests.fakes import FakeBackend, FakeCallaba, fake_deps
from tests.support.block_kit import message_problems, view_problems

pytestmark = pytest.mark.timeout(60)

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
CHAT = ChatRef("slack", "T1", "C1")
LONG_TOPIC = "Quarterly review <!channel> & " + "x" * 300
PEOPLE = [DirectoryUser(f"user{i}", f"User {i}", f"user{i}@example.com") for i in range(40)]
HANDLES = " ".join(f"@user{i}" for i in range(40)) + " @nobody1 @nobody2"

COMMANDS = [
    f"now {LONG_TOPIC} {HANDLES}",
    f"tomorrow 15:00 for 1h {LONG_TOPIC} {HANDLES}",
    f"weekly mon,tue,wed,thu,fri,sat,sun 10:00 for 30m {LONG_TOPIC} {HANDLES}",
    "once 2026-12-01 09:30 for 45m Retro",
    "list",
    "list mine",
    "info 1",
    "info 2",
    "calendar 2",
    "calendar 3",
    "calendar 1",
    "guest 2 Visitor",
    "invite 2 @user1 @nobody3",
    "uninvite 2 @user1",
    "remind 2 10m,1h,1d",
    "remind 2 off",
    "start 1",
    "stop 1",
    "link user3",
    "unlink",
    "tz Europe/Moscow",
    "tz Nowhere/Else",
    "backend nowhere",
    "help",
    *(
        f"help {verb}"
        for verb in (
            "now",
            "weekly",
            "list",
            "info",
            "cancel",
            "invite",
            "remind",
            "guest",
            "calendar",
            "link",
            "tz",
            "lang",
            "backend",
        )
    ),
    "what is this",
    "weekly 25:00 Broken",
    "cancel 4",
    "cancel 99",
    "lang ru",
    "info 2",
    "calendar 2",
    "list",
    "help",
]


def _service(backend: FakeBackend) -> CommandService:
    deps = fake_deps(
        backend,
        PEOPLE,
        NOW,
        owner_login="user0",
        # The bridge's public .ics links, as with PUBLIC_URL: every calendar button.
        feeds=CalendarFeedLinks("https://bridge.example.com", b"k" * 32),
    )
    return CommandService(deps)


def _input(text: str) -> CommandInput:
    mentions = tuple(
        Mention(word, user_id=f"U{word}")
        for word in text.split()
        if word.startswith("@user") and word[1:].removeprefix("user").isdigit()
    )
    return CommandInput(
        text=text,
        chat=CHAT,
        user=UserRef("slack", "T1", "U0", "user0"),
        mentions=mentions,
        standing=Standing.WORKSPACE_ADMIN,
    )


SLACK = Capabilities(ephemeral=True, buttons=True, modals=True)
OPEN_LINKS = OpenLinks("https://bridge.example.com", b"k" * 32)
RENDERERS = {"plain": BlockRenderer(), "open-links": BlockRenderer(OPEN_LINKS)}


def _all_replies(reply: Reply) -> list[Reply]:
    return [reply, *reply.private_notes]


def _check(reply: Reply, renderer: BlockRenderer, what: str) -> None:
    message = renderer.render(reply)
    problems = message_problems({"text": message.text, "blocks": message.blocks})
    assert problems == [], f"{what}: {problems}"


@pytest.mark.parametrize("shape", ["trueconf", "callaba"])
@pytest.mark.parametrize("renderer_name", sorted(RENDERERS))
async def test_every_reply_keeps_block_kit_rules(shape: str, renderer_name: str) -> None:
    backend = FakeBackend("trueconf", pin="4321") if shape == "trueconf" else FakeCallaba("callaba")
    service = _service(backend)
    renderer = RENDERERS[renderer_name]
    checked = 0
    for line in COMMANDS:
        reply = await service.handle(_input(line), SLACK)
        for part in _all_replies(reply):
            _check(part, renderer, line)
            checked += 1
    assert checked >= len(COMMANDS)


def _meeting(join: JoinInfo) -> Meeting:
    return Meeting(
        backend="trueconf",
        conference_id="0042",
        chat=CHAT,
        creator=UserRef("slack", "T1", "U0", "user0"),
        topic=LONG_TOPIC,
        schedule=Weekly(frozenset(Weekday), datetime(2026, 1, 1, 10).time(), "Europe/Berlin"),
        duration=timedelta(minutes=30),
        owner_login="user0",
        created_at=NOW,
        join=join,
        invitees=tuple(Invitee(f"@user{i}", f"user{i}") for i in range(60)),
        id=7,
    )


FULL_JOIN = JoinInfo(
    page_url="https://video.example.com/c/0042",
    browser_url="https://video.example.com/webrtc/0042?" + "a" * 3100,  # too long for a button
    app_deeplink="trueconf:c/0042@video.example.com#vcs",
    android_intent="intent://c/0042@video.example.com#Intent;scheme=trueconf;end",
    sip=tuple(f"0042@sip{i}.example.com" for i in range(30)),
    sip_external="sip:0042@203.0.113.1",
    h323=tuple(f"h323:0042@{i}.example.com" for i in range(30)),
    view_url="https://video.example.com/view/0042",
)


@pytest.mark.parametrize("renderer_name", sorted(RENDERERS))
@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("late", [False, True])
def test_reminders_keep_block_kit_rules(renderer_name: str, lang: str, late: bool) -> None:
    meeting = _meeting(FULL_JOIN)
    renderer = RENDERERS[renderer_name]
    reply = reminder_reply(
        meeting,
        NOW + timedelta(minutes=10),
        now=NOW,
        zone="Europe/Moscow",
        lang=lang,  # type: ignore[arg-type]
        capabilities=renderer.capabilities,
        late=late,
    )
    _check(reply, renderer, f"reminder {lang}")


async def test_app_home_keeps_block_kit_rules() -> None:
    service = _service(FakeBackend("trueconf"))
    for i in range(70):  # more meetings than a view has room for blocks
        await service.handle(_input(f"tomorrow 1{i % 10}:00 Meeting {i} @user1"), SLACK)
    listing = await service.handle(_input("list mine"), SLACK)
    for lang in ("en", "ru"):
        view = home_view(lang, BlockRenderer(OPEN_LINKS).render(listing).blocks)
        assert view_problems(view) == []


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_new_meeting_modal_keeps_block_kit_rules(lang: str) -> None:
    assert view_problems(new_meeting_view(lang, "2026-11-23")) == []  # type: ignore[arg-type]


def test_the_checker_refuses_what_slack_refuses() -> None:
    """The rules are real: each broken message here is one Slack answers
    ``invalid_blocks``."""
    button = {"type": "button", "text": {"type": "plain_text", "text": "Go"}, "url": "https://x"}
    twice = {"type": "actions", "elements": [{**button, "action_id": "a"}] * 2}
    assert any("not unique" in p for p in message_problems({"blocks": [twice]}))
    crowded = {
        "type": "actions",
        "elements": [{**button, "action_id": f"a{i}"} for i in range(26)],
    }
    assert any("1-25" in p for p in message_problems({"blocks": [crowded]}))
    long_url = {"type": "actions", "elements": [{**button, "url": "https://" + "x" * 3000}]}
    assert any("url" in p for p in message_problems({"blocks": [long_url]}))
    many = [{"type": "divider"}] * 51
    assert any("51 blocks" in p for p in message_problems({"blocks": many}))
    header = {"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}
    assert any("151" in p for p in message_problems({"blocks": [header]}))
    empty = {"type": "section", "text": {"type": "mrkdwn", "text": ""}}
    assert any("empty" in p for p in message_problems({"blocks": [empty]}))
