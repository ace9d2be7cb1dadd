"""``/readyz`` by default: ready means this process can serve (its database
reachable and migrated, its components started). A conference server or a
messenger API that is down is the same outage on every replica, so readiness
stays 200 and says which one in ``dependencies``; the metrics
``meetbridge_dependency_up`` and ``meetbridge_dependency_check_seconds`` say it
too; and people asking for a meeting get the bridge's own answer."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from bot.i18n.catalog import CATALOG
from tests.support.readiness import (
    Breaks,
    World,
    refuse_slack,
    revoke_telegram,
    revoke_trueconf,
    served_world,
    set_revision,
    slow_trueconf,
)
from tests.support.serve import wait_until
from tests.support.telegram_api import message_update, person
from tests.support.tokens import slack_token

pytestmark = pytest.mark.timeout(120)

WEBHOOK_SECRET = "deps-webhook-secret"
DEPENDENCIES = {"backend:trueconf", "slack", "slack:commands", "telegram"}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    settings = {
        "TRUECONF_TIMEOUT_SECONDS": "2",
        "SLACK_BOT_TOKEN": slack_token(),
        "SLACK_SIGNING_SECRET": "deps-signing-secret-0123456789",
        "TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET,
    }
    with served_world(tmp_path_factory.mktemp("deps"), settings) as world:
        wait_until(
            lambda: world.readyz()[0] == 200 and world.dependency_up("telegram"),
            timeout=30,
            what="the Telegram bot to connect",
        )
        yield world


def test_ready_names_what_it_requires_and_reports_each_dependency(world: World) -> None:
    status, answer = world.readyz()
    assert status == 200, answer
    assert answer == {"status": "ok"}  # the dependencies are the operator's: /metrics
    for name in DEPENDENCIES:
        assert world.metric("meetbridge_dependency_up", name) == 1.0
        assert world.metric("meetbridge_dependency_check_seconds", name) >= 0.0


@pytest.mark.parametrize(
    ("breaks", "failing", "says"),
    [
        (revoke_trueconf, "backend:trueconf", "invalidCredentials"),
        (slow_trueconf, "backend:trueconf", "no answer within 1s"),
        (refuse_slack, "slack", "invalid_auth"),
        (revoke_telegram, "telegram", "refused the bot token"),
    ],
    ids=["trueconf", "trueconf-timeout", "slack", "telegram"],
)
def test_a_dependency_down_keeps_the_replica_ready_and_is_reported(
    world: World, breaks: Breaks, failing: str, says: str
) -> None:
    restore = breaks(world)
    try:
        status, answer = world.readyz()
        up = world.metric("meetbridge_dependency_up", failing)
    finally:
        restore()
    assert status == 200, answer
    assert answer == {"status": "ok"}
    assert up == 0.0
    found = world.found(failing)  # why, in the log
    assert found.startswith("(a dependency) fails: "), found
    assert says in found, found
    world.readyz()  # checked again once repaired
    assert world.metric("meetbridge_dependency_up", failing) == 1.0


def test_not_ready_when_the_database_is_behind_on_migrations(world: World) -> None:
    old = set_revision(world, "0001")
    try:
        status, answer = world.readyz()
    finally:
        set_revision(world, old)
    assert (status, answer) == (503, {"status": "failing"})
    assert "meetbridge db upgrade" in world.found("database")


def test_with_the_conference_server_down_people_get_the_bridges_own_answer(
    world: World,
) -> None:
    chat = 7301
    restore = slow_trueconf(world)
    try:
        update = message_update("/meet now Incident call", chat_id=chat, sender=person(chat, "pat"))
        update["update_id"] = world.telegram.state.next_update_id()
        answer = httpx.post(
            world.served.url("/telegram/webhook"),
            json=update,
            headers={"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET},
            timeout=10,
        )
        assert answer.status_code == 200
        wait_until(lambda: world.telegram.state.sent(chat), timeout=20, what="the answer")
        status, _ = world.readyz()
    finally:
        restore()
    [reply] = world.telegram.state.sent(chat)
    assert status == 200
    assert CATALOG["backend.timeout"]["en"] in reply.text
