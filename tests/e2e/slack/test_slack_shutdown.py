"""SIGTERM while a Slack command is being worked on after its acknowledgement:
the answer is still posted before the process exits 0."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from adapters.trueconf.sandbox import SandboxServer
from tests.e2e.slack.support import start_world
from tests.support.fake_slack import FakeSlack
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
