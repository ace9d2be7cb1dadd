"""SIGTERM while Slack commands are being worked on after their
acknowledgement: the answers are still posted before the process exits 0, and
the commands still waiting for their turn are not started: they wait in the
database and are answered once the service runs again."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from adapters.trueconf.sandbox import SandboxServer
from tests.e2e.slack.support import start_world
from tests.support.fake_slack import FakeSlack, slack_user
from tests.support.serve import wait_until

pytestmark = pytest.mark.timeout(120)

SHUTDOWN = 6.0
AT_ONCE = 4  # commands one work process works on at once


def test_a_command_in_flight_is_answered_before_the_process_exits(
    tmp_path: Path, slack: FakeSlack, sandbox: SandboxServer
) -> None:
    worlds = start_world(tmp_path, slack, sandbox, SHUTDOWN_TIMEOUT_SECONDS=str(SHUTDOWN))
    for world in worlds:  # one: the generator checks the log when it ends
        process = world.served.process
        assert process is not None
        sandbox.state.latency = 1.0  # every TrueConf answer takes a second
        answer, _, name = world.command("now Incident call")
        assert answer.status_code == 200  # acknowledged; the work goes on
        wait_until(lambda: bool(slack.calls("users.info")), timeout=10, what="the work to start")
        stopped_at = time.monotonic()
        process.send_signal(signal.SIGTERM)
        returncode = process.wait(timeout=SHUTDOWN * 3)
        took = time.monotonic() - stopped_at
        assert returncode == 0, world.served.log
        assert took < SHUTDOWN
        [card] = slack.responses(name)  # posted before the process ended
        assert card["response_type"] == "in_channel"
        assert "finishing 1 Slack command(s) in flight" in world.served.log


def test_commands_still_waiting_are_answered_after_the_restart(
    tmp_path: Path, slack: FakeSlack, sandbox: SandboxServer
) -> None:
    """The commands a stop leaves waiting are not lost, nor told they were not
    done: they wait in the database, and the restarted service answers each
    of them, once."""
    people = [f"U0WAIT{n:02d}" for n in range(AT_ONCE + 3)]
    for person in people:  # each a stranger, so each command starts with users.info
        slack.state.users[person] = slack_user(person, person.lower())

    def started() -> list[str]:
        return [p for p in people if any(c.params["user"] == p for c in slack.calls("users.info"))]

    env = {"SHUTDOWN_TIMEOUT_SECONDS": str(SHUTDOWN), "SLACK_COMMANDS_AT_ONCE": str(AT_ONCE)}
    names = {}
    for world in start_world(tmp_path, slack, sandbox, **env):
        process = world.served.process
        assert process is not None
        sandbox.state.latency = 1.0  # the running commands hold their turn meanwhile
        for person in people:
            answer, _, names[person] = world.command("now Queued call", user=person)
            assert answer.status_code == 200
        wait_until(lambda: len(started()) >= AT_ONCE, timeout=10, what="the first commands")
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=SHUTDOWN * 3) == 0, world.served.log
        assert len(started()) == AT_ONCE  # the rest never began
    for person in started():
        [card] = slack.responses(names[person])  # answered before the process ended
        assert card["response_type"] == "in_channel", card
    waiting = [p for p in people if p not in started()]
    assert all(slack.responses(names[p]) == [] for p in waiting)

    sandbox.state.latency = 0.0
    for _world in start_world(tmp_path, slack, sandbox, **env):  # the same database
        for person in waiting:
            [card] = slack.wait_for_responses(names[person], 1)
            assert card["response_type"] == "in_channel", card
    for person in people:  # each answered exactly once
        assert len(slack.responses(names[person])) == 1
