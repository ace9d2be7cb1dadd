"""Every listener answers its request before it does its work: bolt sends the
answer when the listener returns, so a listener that waited for Slack (the
form, the App Home tab) or the database would hold the acknowledgement. Here
Slack holds those calls, and the requests are answered all the same."""

from __future__ import annotations

import pytest

from tests.e2e.slack.support import SlackWorld, unique

pytestmark = pytest.mark.timeout(90)

# Longer than a listener's own steps take on a loaded machine, far shorter than
# a held call (held until the test opens it).
ANSWER_WITHIN = 5.0


def test_requests_are_answered_while_their_slack_calls_are_held(world: SlackWorld) -> None:
    slack = world.slack
    opened, published = len(slack.calls("views.open")), len(slack.calls("views.publish"))
    gates = [slack.hold("views.open"), slack.hold("views.publish")]
    try:
        trigger = unique("trigger.")
        body, _ = world.command_body("", trigger=trigger)
        command, _ = world.post(body, timeout=ANSWER_WITHIN)
        assert command.status_code == 200
        press, _ = world.button("meet_new", "", user="UCREATOR")
        assert press.status_code == 200
        home = world.event({"type": "app_home_opened", "user": "UALICE", "tab": "home"})
        assert home.status_code == 200
        # The work went on after the answers: its calls reached Slack, still held.
        calls = slack.wait_for_calls("views.open", opened + 2)
        assert trigger in {call.params["trigger_id"] for call in calls}
        slack.wait_for_calls("views.publish", published + 1)
    finally:
        for gate in gates:
            gate.open()
