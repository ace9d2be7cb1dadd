"""A signed button press shaped as no Slack press is (no actions, an action
that is a string or whose action_id is a number, a channel or container that
is a string) is refused with a 400 before bolt matches it, or served without
the garbled field; never a 500, and no traceback in the log (the module's
fixture reads it)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.slack.support import SlackWorld, unique
from tests.support.fake_slack import TEAM


def _payload(world: SlackWorld, **over: Any) -> dict[str, Any]:
    p = {
        "type": "block_actions",
        "team": {"id": TEAM},
        "user": {"id": "UCREATOR"},
        "api_app_id": "A0APP",
        "trigger_id": unique("trigger."),
        "channel": {"id": "C0GENERAL"},
        "container": {"type": "message", "channel_id": "C0GENERAL"},
        "response_url": world.slack.response_url(unique("x")),
        "actions": [{"type": "button", "action_id": "meet_cancel", "block_id": "b", "value": "1"}],
    }
    p.update(over)
    return p


CASES = {
    # bolt matches its listeners on these before any listener runs: a 500
    "action str": {"actions": ["x"]},
    "action empty": {"actions": []},
    "action_id int": {"actions": [{"action_id": 5, "value": "1"}]},
    # read after the acknowledgement: a traceback in the log
    "value dict": {"actions": [{"action_id": "meet_cancel", "value": {"a": 1}}]},
    "channel str": {"channel": "C0GENERAL"},
    "container str": {"channel": None, "container": "x"},
    "response_url int": {"response_url": 5},
    "block_id list": {
        "actions": [{"action_id": "mb_cancel", "block_id": [1], "value": "m2:cancel:1"}]
    },
    "view str": {"view": "x", "channel": None, "container": {"type": "view"}},
    "state": {"state": "x"},
}


@pytest.mark.parametrize("over", CASES.values(), ids=CASES.keys())
def test_a_press_no_slack_sends_is_not_a_500(world: SlackWorld, over: dict[str, Any]) -> None:
    answer = world.interaction(_payload(world, **over))
    assert answer.status_code < 500, answer.text
