"""A full queue answers at once that nothing was done: for a slash command
(in the acknowledgement) when the accepted commands waiting in the database
reach their bound, and for a button press (a note only to the person) when
the presses the serving process works on do; and takes commands again once
there is room."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.slack.texts import text
from adapters.trueconf.sandbox import SandboxServer
from tests.e2e.slack.support import SlackWorld, create_meeting, start_world
from tests.support.fake_slack import FakeSlack
from tests.support.serve import wait_until

pytestmark = pytest.mark.timeout(120)


def test_a_full_queue_says_busy_at_once_and_does_nothing(
    tmp_path: Path, slack: FakeSlack, sandbox: SandboxServer
) -> None:
    env = {"SLACK_COMMANDS_AT_ONCE": "1", "SLACK_COMMANDS_QUEUED": "0"}
    for world in start_world(tmp_path, slack, sandbox, **env):  # one world
        check_busy_then_free(world)


def check_busy_then_free(world: SlackWorld) -> None:
    slack, sandbox = world.slack, world.sandbox
    number, _ = create_meeting(world, "tomorrow 15:00 Pressed twice")
    sandbox.state.latency = 1.0  # the press and the command being worked on hold their turn
    held, held_name = world.button("meet_cancel", number, user="UCREATOR")
    assert held.status_code == 200
    pressed, pressed_name = world.button("meet_cancel", number, user="UCREATOR")
    assert pressed.status_code == 200
    [note] = slack.wait_for_responses(pressed_name, 1)
    assert note["response_type"] == "ephemeral"
    assert note["text"] == text("busy", "en")
    slack.wait_for_responses(held_name, 1)  # the held press was worked on

    created = sandbox.state.calls("POST /conferences")
    first, _, first_name = world.command("now Held call")
    assert "Working on it" in first.text
    refused, _, refused_name = world.command("now Refused call")
    assert refused.status_code == 200
    assert refused.text == text("busy", "en")  # bolt sends a text-only ack as plain text

    [card] = slack.wait_for_responses(first_name, 1)
    assert card["response_type"] == "in_channel"
    sandbox.state.latency = 0.0
    # Room again once the first command's job has ended (its reply is posted
    # just before): a refused try does nothing, so try until one is taken.
    taken: list[str] = []

    def next_command_taken() -> bool:
        answer, _, name = world.command("now Next call")
        if "Working on it" in answer.text:
            taken.append(name)
        return bool(taken)

    wait_until(next_command_taken, timeout=10, what="room for a command")
    slack.wait_for_responses(taken[0], 1)
    # The held conference and the next one; the refused command never reached TrueConf.
    assert sandbox.state.calls("POST /conferences") == created + 2
    assert slack.responses(refused_name) == []
