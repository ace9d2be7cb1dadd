"""A link request renders in Slack: its text tells admins how to approve it,
and a button kind Slack has no handler for is left out."""

from __future__ import annotations

import pytest

from adapters.slack.render import BlockRenderer
from bot.reply import Action, ActionKind, Actions, Reply, Text

pytestmark = pytest.mark.timeout(30)


def test_an_approve_action_without_a_slack_handler_is_left_out() -> None:
    request = Reply(
        (
            Text("bob asks to be linked to TrueConf user carol. An admin approves it."),
            Actions((Action(ActionKind.APPROVE_LINK, "Approve", 0, subject="U0BOB"),)),
        )
    )
    message = BlockRenderer().render(request)
    assert "asks to be linked" in message.text
    assert all(block["type"] != "actions" for block in message.blocks)
