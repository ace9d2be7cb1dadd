"""A link request renders in Slack with its Approve button, which carries the
approval as a button token."""

from __future__ import annotations

import pytest

from adapters.slack.actions import pressed
from adapters.slack.render import BlockRenderer
from bot.chat import Mention
from bot.commands import LinkAccount
from bot.reply import Action, ActionKind, Actions, Reply, Text

pytestmark = pytest.mark.timeout(30)


def test_an_approve_action_is_a_button_that_approves_the_person() -> None:
    approve = LinkAccount("", Mention("U0BOB", "U0BOB"))
    request = Reply(
        (
            Text("bob asks to be linked to TrueConf user carol. An admin approves it."),
            Actions((Action(ActionKind.APPROVE_LINK, "Approve", 0, "U0BOB", approve),)),
        )
    )
    message = BlockRenderer().render(request)
    assert "asks to be linked" in message.text
    [actions] = [block for block in message.blocks if block["type"] == "actions"]
    [button] = actions["elements"]
    assert button["text"]["text"] == "Approve"
    assert pressed(button) == approve
