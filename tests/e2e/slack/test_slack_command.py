"""``/meet`` over real HTTP as Slack sends it, against a fake Slack Web API and
the TrueConf sandbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest

from adapters.http.open_link import OpenLinks
from adapters.slack.actions import pressed
from bot.commands import CancelMeeting, GuestLink, MeetingCalendar, meeting_ref_of
from bot.reply import LinkContext
from tests.e2e.slack.support import (
    LINK_SECRET,
    PUBLIC_URL,
    SIGNING_SECRET,
    SlackWorld,
    buttons_of,
)
from tests.support.block_kit import mrkdwn_of, texts_of
from tests.support.fake_slack import Failure, signed_headers

pytestmark = pytest.mark.timeout(90)

ACK_BUDGET = 3.0  # Slack's own limit for the acknowledgement


def test_card_is_posted_in_channel_with_escaped_topic_mapped_people_and_zone(
    world: SlackWorld,
) -> None:
    before = set(world.sandbox.state.conference_ids())
    answer, took, name = world.command(
        "tomorrow 15:00 for 45m R&D <review> <!channel> <@UALICE|alice> <@UNOMAIL>"
    )
    assert answer.status_code == 200
    assert took < ACK_BUDGET
    assert "Working on it" in answer.text

    [posted] = world.slack.wait_for_responses(name, 1)
    assert posted["response_type"] == "in_channel"
    blocks = posted["blocks"]
    # The topic is shown escaped: it cannot ping the channel or open a tag.
    assert all("<!channel>" not in text for text in mrkdwn_of(blocks))
    assert "<!channel>" not in posted["text"]
    assert "R&amp;D &lt;review&gt; &lt;!channel&gt;" in posted["text"]
    header = next(b for b in blocks if b["type"] == "header")
    assert header["text"]["type"] == "plain_text"  # plain text: never parsed for pings
    fields = "\n".join(mrkdwn_of(blocks))
    assert "alice" in fields
    assert "zed" in fields  # named as the one who could not be mapped
    assert "15:00" in fields  # the creator's own zone, from the Slack profile

    [conference_id] = set(world.sandbox.state.conference_ids()) - before
    stored = world.sandbox.state.raw_conference(conference_id)
    assert stored is not None
    # alice mapped by her Slack e-mail; the unmapped person is not invited; the
    # creator has no linked account, so the configured owner holds the conference.
    assert set(stored["invitations"]) == {"admin", "alice"}
    start = datetime.fromtimestamp(stored["schedule"]["start_time"], UTC)
    local = start.astimezone(ZoneInfo("Europe/Moscow"))
    assert (local.hour, local.minute) == (15, 0)
    assert local.date() == (datetime.now(ZoneInfo("Europe/Moscow")) + timedelta(days=1)).date()
    assert conference_id in fields

    buttons = buttons_of(blocks)
    urls = [b["url"] for b in buttons if "url" in b]
    assert all(url.startswith(("https://", "http://")) for url in urls)
    app_button = next(b for b in buttons if b.get("action_id") == "meet_link_app")
    opened = urlsplit(app_button["url"])
    assert f"{opened.scheme}://{opened.netloc}" == PUBLIC_URL
    query = {k: v[0] for k, v in parse_qs(opened.query).items()}
    assert query["to"].startswith("trueconf:")
    # Signed over the meeting, its expiry (the meeting's end plus the margin)
    # and the reader's language too.
    about = LinkContext(int(query["m"]), datetime.fromtimestamp(int(query["e"]), UTC), "en")
    assert query["l"] == "en"
    assert about.expires > datetime.now(UTC)
    assert OpenLinks(PUBLIC_URL, LINK_SECRET.encode()).verify(
        query["to"], query.get("fallback", ""), query["sig"], about
    )
    pressed_commands = {type(pressed(b)) for b in buttons if "value" in b}
    assert pressed_commands >= {GuestLink, CancelMeeting, MeetingCalendar}


def test_errors_go_only_to_the_person(world: SlackWorld) -> None:
    answer, took, name = world.command("tomorrow 25:99 Broken")
    assert answer.status_code == 200
    assert took < ACK_BUDGET
    [posted] = world.slack.wait_for_responses(name, 1)
    assert posted["response_type"] == "ephemeral"
    assert "25:99" in posted["text"]


def test_a_retried_delivery_creates_no_second_conference(world: SlackWorld) -> None:
    before = set(world.sandbox.state.conference_ids())
    body, name = world.command_body("now Retry check")
    first, _ = world.post(body)
    world.slack.wait_for_responses(name, 1)
    headers_retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    second, _ = world.post(body, headers={**signed_headers(SIGNING_SECRET, body), **headers_retry})
    assert first.status_code == second.status_code == 200
    # The retry was answered; wait for anything it might have started to show.
    _, _, probe = world.command("list")
    world.slack.wait_for_responses(probe, 1)
    assert len(set(world.sandbox.state.conference_ids()) - before) == 1
    assert len(world.slack.responses(name)) == 1


def test_ack_comes_back_when_trueconf_hangs_and_the_person_hears_why(world: SlackWorld) -> None:
    world.sandbox.state.latency = 5.0  # past the bridge's 1.5 s timeout
    answer, took, name = world.command("now Hanging server")
    assert answer.status_code == 200
    assert took < ACK_BUDGET
    [posted] = world.slack.wait_for_responses(name, 1, timeout=30)
    assert posted["response_type"] == "ephemeral"
    assert "did not answer in time" in posted["text"]


def test_rate_limited_web_api_is_retried_after_retry_after(world: SlackWorld) -> None:
    world.slack.fail(Failure("users.info", count=1, status=429, retry_after=0))
    before = len(world.slack.calls("users.info"))
    # Someone the bridge has not looked up yet: profiles are kept for minutes.
    answer, _, name = world.command("list", user="U0RATELIMITED")
    assert answer.status_code == 200
    [posted] = world.slack.wait_for_responses(name, 1)
    assert posted["response_type"] == "in_channel"
    # The speaker's lookup was refused once with 429, then asked again.
    assert len(world.slack.calls("users.info")) >= before + 2


def test_pin_goes_only_to_the_creator_ephemerally(world: SlackWorld) -> None:
    before = set(world.sandbox.state.conference_ids())
    _, _, name = world.command("tomorrow 10:00 PIN check")
    [card] = world.slack.wait_for_responses(name, 1)
    command = next(pressed(b) for b in buttons_of(card["blocks"]) if "value" in b)
    number = meeting_ref_of(command) if command else None
    [conference_id] = set(world.sandbox.state.conference_ids()) - before
    with world.sandbox.state._lock:  # a PIN set on the server side
        world.sandbox.state._conferences[conference_id].pin = "9183"

    _, _, mine = world.command(f"info {number}")
    posted = world.slack.wait_for_responses(mine, 2)
    public = [p for p in posted if p["response_type"] == "in_channel"]
    private = [p for p in posted if p["response_type"] == "ephemeral"]
    assert all("9183" not in t for p in public for t in [*texts_of(p["blocks"]), p["text"]])
    assert any("9183" in p["text"] for p in private)

    _, _, theirs = world.command(f"info {number}", user="UOTHER")
    [other] = world.slack.wait_for_responses(theirs, 1)
    assert "9183" not in str(other)
