"""Block Kit rendering of the core's neutral replies."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from adapters.http.open_link import OpenLinks
from adapters.slack.actions import pressed
from adapters.slack.render import HEADER_MAX, BlockRenderer, escape
from bot.commands import CancelMeeting, GuestLink, MeetingCalendar, PickChoice
from bot.reply import (
    Action,
    ActionKind,
    Actions,
    Copyable,
    Field,
    Fields,
    File,
    Link,
    LinkKind,
    Links,
    Reply,
    Text,
    Title,
    Tone,
)
from tests.support.block_kit import mrkdwn_of

pytestmark = pytest.mark.timeout(10)

HOSTILE = "R&D <!channel> <https://evil.example|click> <@U123>"


def _card(topic: str = HOSTILE) -> Reply:
    return Reply(
        (
            Text("Meeting #7 created", Tone.MUTED),
            Title(topic),
            Fields((Field("Topic", topic), Field("Invited", "alice, <!here>"))),
            Links(
                (
                    Link("Browser", "https://video.example.com/c/0042", LinkKind.BROWSER),
                    Link("App", "trueconf:c/0042@video.example.com#vcs", LinkKind.APP),
                )
            ),
            Copyable("SIP", ("0042@video.example.com", "<sip:x>")),
            Actions(
                (
                    Action(ActionKind.JOIN, "Join", 7),
                    Action(ActionKind.CALENDAR, "Add to calendar", 7, command=MeetingCalendar("7")),
                    Action(ActionKind.GUEST, "Guest link", 7, command=GuestLink("7")),
                    Action(
                        ActionKind.CANCEL, "Cancel", 7, command=CancelMeeting("7"), confirm=True
                    ),
                )
            ),
        )
    )


def test_escape_handles_slacks_three_control_characters() -> None:
    assert escape("a & b < c > d") == "a &amp; b &lt; c &gt; d"
    assert escape("&lt;") == "&amp;lt;"  # never double-decoded into markup


def test_user_text_cannot_ping_or_link_anywhere_in_the_message() -> None:
    message = BlockRenderer().render(_card())
    texts = [*mrkdwn_of(message.blocks), message.text]
    for text in texts:
        assert "<!channel>" not in text
        assert "<!here>" not in text
        assert "<https://evil" not in text
        assert "<@U123>" not in text
    assert any("&lt;!channel&gt;" in text for text in texts)
    header = next(b for b in message.blocks if b["type"] == "header")
    assert header["text"] == {"type": "plain_text", "text": HOSTILE, "emoji": False}


def test_without_public_url_app_links_are_not_buttons() -> None:
    message = BlockRenderer().render(_card())
    urls = [
        e.get("url", "") for b in message.blocks if b["type"] == "actions" for e in b["elements"]
    ]
    assert all(not url.startswith("trueconf:") for url in urls)
    assert "https://video.example.com/c/0042" in urls


def test_with_public_url_app_links_become_signed_https_buttons_with_browser_fallback() -> None:
    links = OpenLinks("https://bridge.example.com", b"k")
    message = BlockRenderer(links).render(_card())
    app = next(
        e
        for b in message.blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if e.get("action_id") == "meet_link_app"
    )
    query = {k: v[0] for k, v in parse_qs(urlsplit(app["url"]).query).items()}
    assert app["url"].startswith("https://bridge.example.com/open?")
    assert query["to"] == "trueconf:c/0042@video.example.com#vcs"
    assert query["fallback"] == "https://video.example.com/c/0042"
    assert links.verify(query["to"], query["fallback"], query["sig"])


def test_actions_carry_the_meeting_number_and_cancel_asks_first() -> None:
    message = BlockRenderer().render(_card())
    buttons = {
        e["action_id"]: e
        for b in message.blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if "value" in e
    }
    commands = {pressed(b) for b in buttons.values()}
    assert commands == {MeetingCalendar("7"), GuestLink("7"), CancelMeeting("7")}
    [cancel] = [b for b in buttons.values() if pressed(b) == CancelMeeting("7")]
    assert cancel["style"] == "danger"
    assert "confirm" in cancel


def test_long_text_is_cut_to_block_kit_limits() -> None:
    message = BlockRenderer().render(_card("x" * 1000))
    header = next(b for b in message.blocks if b["type"] == "header")
    assert len(header["text"]["text"]) == HEADER_MAX
    assert len(json.dumps(message.blocks)) < 50_000


def test_an_error_is_a_warning_section() -> None:
    message = BlockRenderer().render(Reply((Text("Bad <time>", Tone.ERROR),)))
    assert message.blocks == [
        {"type": "section", "text": {"type": "mrkdwn", "text": ":warning: Bad &lt;time&gt;"}}
    ]


def test_a_file_becomes_a_link_to_its_download() -> None:
    reply = Reply(
        (File("meeting-7.ics", b"BEGIN:VCALENDAR", "text/calendar", "https://v.example/ics/7"),)
    )
    [block] = BlockRenderer().render(reply).blocks
    assert block["elements"][0]["url"] == "https://v.example/ics/7"
    assert block["elements"][0]["text"]["text"] == "meeting-7.ics"
    assert BlockRenderer().render(Reply((File("x.ics", b"", "text/calendar"),))).blocks == []


def test_a_questions_answers_are_buttons_that_press_back_to_their_reading() -> None:
    key = "0123456789abcdef0123"
    question = Reply(
        (
            Text("“3”: am or pm? Choose one:"),
            Copyable("Tue 24 Nov 2026, 03:00", ("/meet tomorrow at 03:00 Sync",)),
            Actions(
                (
                    Action(ActionKind.CHOOSE, "03:00", 0, command=PickChoice(key, 0)),
                    Action(ActionKind.CHOOSE, "15:00", 0, command=PickChoice(key, 1)),
                )
            ),
        )
    )
    message = BlockRenderer().render(question)
    buttons = [e for b in message.blocks if b["type"] == "actions" for e in b["elements"]]
    assert [b["text"]["text"] for b in buttons] == ["03:00", "15:00"]
    assert [pressed(b) for b in buttons] == [PickChoice(key, 0), PickChoice(key, 1)]
    assert all("style" not in b for b in buttons)
