"""The .ics upload to a person's DM through slack-sdk, against the strict fake:
both scopes are needed, and a refused upload is logged and shares nothing."""

from __future__ import annotations

import logging

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.files import can_upload, to_direct_message
from bot.reply import File
from tests.support.fake_slack import DEFAULT_SCOPES, FakeSlack, slack_user
from tests.support.ics import only_event
from tests.support.tokens import slack_token

pytestmark = pytest.mark.timeout(30)

ICS = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//\r\nBEGIN:VEVENT\r\nUID:u@x\r\n"
    b"DTSTAMP:20260101T000000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)
FILE = File("meeting-7.ics", ICS, "text/calendar", "https://bridge.example.com/ics/7-x.ics")


@pytest.mark.parametrize(
    ("scopes", "expected"),
    [
        (None, False),
        ((), False),
        (("files:write",), False),  # no DM to put it in
        (("im:write",), False),
        (("files:write", "im:write"), True),
        (("files:write,im:write",), False),  # one unsplit string is not two scopes
    ],
)
def test_both_scopes_are_needed(scopes: tuple[str, ...] | None, expected: bool) -> None:
    assert can_upload(scopes) is expected


async def test_the_file_reaches_the_persons_dm_intact() -> None:
    with FakeSlack([slack_user("UA", "a")], (*DEFAULT_SCOPES, "files:write", "im:write")) as slack:
        client = AsyncWebClient(token=slack_token(), base_url=slack.api_url)
        await to_direct_message(client, "UA")((FILE,))
        [shared] = slack.shared_files()
    assert (shared.channel, shared.filename) == ("DUA", "meeting-7.ics")
    assert only_event(shared.content).uid == "u@x"


async def test_a_refused_upload_is_logged_and_shares_nothing(
    caplog: pytest.LogCaptureFixture,
) -> None:
    token = slack_token()
    # files:write without im:write: Slack refuses conversations.open.
    with FakeSlack([slack_user("UA", "a")], (*DEFAULT_SCOPES, "files:write")) as slack:
        client = AsyncWebClient(token=token, base_url=slack.api_url)
        with caplog.at_level(logging.WARNING):
            await to_direct_message(client, "UA")((FILE,))
        assert slack.shared_files() == []
        assert slack.calls("files.getUploadURLExternal") == []
    assert "missing_scope" in caplog.text
    assert token not in caplog.text
