"""SIGTERM while Slack commands are being worked on after their
acknowledgement: the answers are still posted before the process exits 0, and
the commands still waiting for their turn are not started: their people are
told that nothing was done."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from adapters.slack.texts import text
from adapters.trueconf.sandbox import SandboxServer
from adapters.work_pool import RUNNING
from tests.e2e.slack.support import start_world
from tests.support.fake_slack import FakeSlack, slack_user
from tests.support.serve import wait_until

pytestmark = pytest.mark.timeout(120)

SHUTDOWN = 6.0


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


def test_commands_still_waiting_are_told_they_were_not_done(
    tmp_path: Path, slack: FakeSlack, sandbox: SandboxServer
) -> None:
    people = [f"U0WAIT{n:02d}" for n in range(RUNNING + 3)]
    for person in people:  # each a stranger, so each command starts with users.info
        slack.state.users[person] = slack_user(person, person.lower())

    def started() -> list[str]:
        return [p for p in people if any(c.params["user"] == p for c in slack.calls("users.info"))]

    worlds = start_world(tmp_path, slack, sandbox, SHUTDOWN_TIMEOUT_SECONDS=str(SHUTDOWN))
    for world in worlds:
        process = world.served.process
        assert process is not None
        sandbox.state.latency = 1.0  # the running commands hold their turn meanwhile
        names = {}
        for person in people:
            answer, _, names[person] = world.command("now Queued call", user=person)
            assert answer.status_code == 200
        wait_until(lambda: len(started()) >= RUNNING, timeout=10, what="the first commands")
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=SHUTDOWN * 3) == 0, world.served.log
        assert len(started()) == RUNNING  # the rest never began
        for person, name in names.items():
            [posted] = slack.responses(name)
            if person in started():
                assert posted["response_type"] == "in_channel", posted  # the meeting card
            else:
                assert posted["response_type"] == "ephemeral"
                assert posted["text"] == text("not_done", "en")
