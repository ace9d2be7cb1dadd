"""``/meet calendar``: with files:write and im:write the person also gets the
.ics as a file in their own DM with the bot (never in the channel); without
them, only the signed link. The fake's upload steps refuse what Slack refuses."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from adapters.slack.actions import pressed
from adapters.slack.render import ACTION_PREFIX
from adapters.trueconf.sandbox import SandboxServer
from bot.catalogue import CATALOGUE
from bot.commands import MeetingCalendar, meeting_ref_of
from tests.e2e.slack.conftest import USERS
from tests.e2e.slack.support import BOT_TOKEN, PUBLIC_URL, SlackWorld, buttons_of, start_world
from tests.support.fake_slack import DEFAULT_SCOPES, FakeSlack
from tests.support.ics import only_event
from tests.support.serve import wait_until

pytestmark = pytest.mark.timeout(120)

FILE_SCOPES = (*DEFAULT_SCOPES, "files:write", "im:write")


@pytest.fixture(scope="module")
def slack_with_files() -> Iterator[FakeSlack]:
    with FakeSlack(users=USERS, scopes=FILE_SCOPES) as fake:
        yield fake
        assert fake.refused() == []


@pytest.fixture(scope="module")
def world_with_files(
    tmp_path_factory: pytest.TempPathFactory,
    slack_with_files: FakeSlack,
    sandbox: SandboxServer,
) -> Iterator[SlackWorld]:
    yield from start_world(tmp_path_factory.mktemp("slack-files"), slack_with_files, sandbox)


def _calendar(world: SlackWorld, line: str, user: str) -> tuple[dict[str, Any], str]:
    """Creates a meeting in C0GENERAL; ``user`` presses its calendar button
    (the personal answer); returns the answer and its signed .ics link."""
    _, _, name = world.command(line, user="UCREATOR")
    [card] = world.slack.wait_for_responses(name, 1)
    command = next(pressed(b) for b in buttons_of(card["blocks"]) if "value" in b)
    number = meeting_ref_of(command) if command else None
    assert number is not None
    calendar = MeetingCalendar(number)
    action = ACTION_PREFIX + CATALOGUE.of(calendar).name
    _, name = world.button(action, CATALOGUE.token(calendar), user=user)
    [answer] = world.slack.wait_for_responses(name, 1)
    assert answer["response_type"] == "ephemeral"
    urls = [b["url"] for b in buttons_of(answer["blocks"]) if "url" in b]
    [ics] = [u for u in urls if u.startswith(f"{PUBLIC_URL}/ics/") and u.endswith(".ics")]
    return answer, ics


def test_with_files_write_the_person_gets_the_ics_in_their_dm(world_with_files: SlackWorld) -> None:
    slack = world_with_files.slack
    _, ics = _calendar(world_with_files, "tomorrow 14:00 File check", user="UALICE")
    wait_until(lambda: slack.shared_files() != [], timeout=15, what="a shared file")
    [shared] = slack.shared_files()
    assert shared.channel == "DUALICE"  # the DM conversations.open gave for her
    assert shared.filename.endswith(".ics")
    served = httpx.get(world_with_files.served.url(ics.removeprefix(PUBLIC_URL)), timeout=10)
    assert served.status_code == 200
    uploaded, linked = only_event(shared.content), only_event(served.content)
    for key in ("UID", "SUMMARY", "SEQUENCE", "STATUS"):
        assert str(uploaded.get(key)) == str(linked.get(key)), key
    for key in ("DTSTART", "DTEND"):
        assert uploaded.decoded(key) == linked.decoded(key), key
    assert "File check" in str(uploaded["SUMMARY"])
    # Nothing reached the channel: every completed upload went to a DM.
    completes = slack.calls("files.completeUploadExternal")
    assert [c.params.get("channel_id") for c in completes] == ["DUALICE"]
    assert not any(c.params.get("channels") for c in completes)


def test_without_files_write_only_the_link(world: SlackWorld) -> None:
    answer, _ = _calendar(world, "tomorrow 15:00 Link only", user="UALICE")
    assert answer["response_type"] == "ephemeral"
    # The next command's answer arrived, so an upload would have been tried by now.
    _, _, probe = world.command("list", user="UALICE")
    world.slack.wait_for_responses(probe, 1)
    for method in ("conversations.open", "files.getUploadURLExternal"):
        assert world.slack.calls(method) == []
    assert world.slack.shared_files() == []


# ---- the fake refuses what Slack refuses ----------------------------------


def _client(slack: FakeSlack) -> WebClient:
    return WebClient(token=BOT_TOKEN, base_url=slack.api_url)


def _error(call: Any) -> str:
    with pytest.raises(SlackApiError) as refused:
        call()
    return str(refused.value.response["error"])


def test_fake_refuses_an_upload_without_the_scope() -> None:
    with FakeSlack(users=USERS) as slack:
        client = _client(slack)
        assert _error(lambda: client.conversations_open(users="UALICE")) == "missing_scope"
        upload = lambda: client.files_upload_v2(filename="a.ics", content=b"x", channel="DUALICE")  # noqa: E731
        assert _error(upload) == "missing_scope"
        assert slack.shared_files() == []


def test_fake_refuses_a_completion_of_bytes_never_uploaded_and_a_wrong_channel() -> None:
    with FakeSlack(users=USERS, scopes=FILE_SCOPES) as slack:
        client = _client(slack)
        dm = client.conversations_open(users="UALICE")["channel"]["id"]
        announced = client.files_getUploadURLExternal(filename="a.ics", length=3)
        never = lambda: client.files_completeUploadExternal(  # noqa: E731
            files=[{"id": announced["file_id"]}], channel_id=dm
        )
        assert _error(never) == "file_not_found"
        made_up = lambda: client.files_completeUploadExternal(  # noqa: E731
            files=[{"id": "F404"}], channel_id=dm
        )
        assert _error(made_up) == "file_not_found"
        wrong = lambda: client.files_upload_v2(  # noqa: E731
            filename="a.ics", content=b"abc", channel="C0GENERAL"
        )
        assert _error(wrong) == "channel_not_found"
        client.files_upload_v2(filename="b.ics", content=b"abc", channel=dm)
        assert [(f.channel, f.content) for f in slack.shared_files()] == [(dm, b"abc")]
