"""A reminder reaches Slack through the messenger the Slack component registers.

The service runs on the real clock and reminders are planned to the minute,
so this waits for the nearest one (about a minute); it is the one slow test
of the Slack suite, and the only one that needs the dispatcher."""

from __future__ import annotations

import pytest

from tests.e2e.slack.support import BOT_TOKEN, SlackWorld
from tests.support.block_kit import mrkdwn_of

pytestmark = pytest.mark.timeout(180)


def test_a_reminder_is_posted_in_the_meetings_channel(world: SlackWorld) -> None:
    before = len(world.slack.calls("chat.postMessage"))
    # The default 10-minute reminder of a meeting 11 minutes ahead: due in about a minute.
    _, _, name = world.command("in 11m Reminder <check>", channel="C0REMIND")
    [card] = world.slack.wait_for_responses(name, 1)
    assert card["response_type"] == "in_channel"
    calls = world.slack.wait_for_calls("chat.postMessage", before + 1, timeout=150)
    [reminder] = [c for c in calls[before:] if c.params["channel"] == "C0REMIND"]
    assert reminder.token == BOT_TOKEN
    shown = " ".join([reminder.params["text"], *mrkdwn_of(reminder.params["blocks"])])
    assert "Reminder &lt;check&gt;" in shown
    assert "<check>" not in shown
