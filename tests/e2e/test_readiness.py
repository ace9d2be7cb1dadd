"""``/readyz`` of a running ``meetbridge serve`` with everything configured,
in strict mode (READINESS_STRICT=true: every dependency must pass too): 200
naming each check, then 503 for each reason in turn (the database behind on
migrations, TrueConf refusing the credentials, Callaba the token, Slack the
bot token, Telegram the bot token, a server too slow to answer), each time
naming the one check that fails, and while its work process is down; and
never a secret in an answer. The default
mode is in test_readiness_dependencies.py."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.readiness import (
    Breaks,
    World,
    behind_on_migrations,
    refuse_slack,
    revoke_telegram,
    revoke_trueconf,
    rotate_callaba,
    served_world,
    slow_trueconf,
)
from tests.support.serve import wait_until, work_pids
from tests.support.tokens import slack_token

pytestmark = pytest.mark.timeout(120)

BOT_TOKEN = slack_token()
SIGNING_SECRET = "ready-signing-secret-0123456789"
WEBHOOK_SECRET = "ready-webhook-secret"
DEPENDENCIES = {"backend:trueconf", "backend:callaba", "slack", "slack:commands", "telegram"}
CHECKS = {
    "database",
    "started",
    "work-process",
    "backend:trueconf",
    "backend:callaba",
    "slack",
    "slack:commands",
    "telegram",
}


def secrets(world: World) -> list[str]:
    assert world.callaba is not None
    return [
        BOT_TOKEN,
        SIGNING_SECRET,
        WEBHOOK_SECRET,
        world.trueconf.client_secret,
        world.callaba.token,
        world.telegram.state.token,
    ]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    settings = {
        "TRUECONF_TIMEOUT_SECONDS": "5",
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "READINESS_STRICT": "true",
    }
    with served_world(tmp_path_factory.mktemp("ready"), settings, with_callaba=True) as world:
        yield world


def test_ready_when_all_is_well_saying_nothing_more(world: World) -> None:
    status, answer = world.readyz()
    assert status == 200, answer
    # Anyone who reaches the port may ask: what the checks found (the work
    # process's pid, the commands waiting) was in the answer.
    assert answer == {"status": "ok"}
    assert world.slack.calls("auth.test")  # Slack was asked, not assumed
    assert all(world.dependency_up(name) for name in CHECKS & DEPENDENCIES)


@pytest.mark.parametrize(
    ("breaks", "failing", "says"),
    [
        (behind_on_migrations, "database", "meetbridge db upgrade"),
        (revoke_trueconf, "backend:trueconf", "invalidCredentials"),
        (rotate_callaba, "backend:callaba", "callabaTokenRefused"),
        (refuse_slack, "slack", "invalid_auth"),
        (revoke_telegram, "telegram", "refused the bot token"),
        (slow_trueconf, "backend:trueconf", "no answer within 1s"),
    ],
    ids=["database", "trueconf", "callaba", "slack", "telegram", "trueconf-timeout"],
)
def test_not_ready_names_the_failing_check(
    world: World, breaks: Breaks, failing: str, says: str
) -> None:
    restore = breaks(world)
    try:
        status, answer = world.readyz()
    finally:
        restore()
    assert status == 503, answer
    assert answer == {"status": "failing"}
    # The operator reads why in the log: the one check that fails.
    found = world.found(failing)
    assert says in found, found
    assert found.endswith("(not ready)"), found
    for secret in secrets(world):
        assert secret not in world.served.log
    status, answer = world.readyz()  # and back once it is repaired
    assert status == 200, answer


def test_not_ready_while_its_work_process_is_down(world: World) -> None:
    """Killed, the work process fails the check (serve would acknowledge
    commands that nobody here answers) until the one started after it works."""
    first = work_pids(world.served)[-1]  # the one working now
    os.kill(first, signal.SIGKILL)
    seen: list[tuple[int, dict[str, Any]]] = []

    def down() -> bool:
        seen.append(world.readyz())
        return seen[-1][0] == 503

    wait_until(down, timeout=30, what="the dead work process to be reported")
    assert seen[-1][1] == {"status": "failing"}
    detail = world.found("work-process")
    assert detail.startswith("fails: not working: it ended 1 time(s), last with exit -9"), detail
    wait_until(lambda: world.readyz()[0] == 200, timeout=60, what="its successor to work")
    assert work_pids(world.served)[-1] != first
