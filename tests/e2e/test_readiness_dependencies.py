"""``/readyz`` by default: ready means this process can serve (its database
reachable and migrated, its components started). A conference server or a
messenger API that is down is the same outage on every replica, so readiness
stays 200 and says which one in ``dependencies``; the metrics
``meetbridge_dependency_up`` and ``meetbridge_dependency_check_seconds`` say it
too; and people asking for a meeting get the bridge's own answer."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from adapters.trueconf.sandbox import SandboxServer
from bot.i18n.catalog import CATALOG
from tests.support.fake_slack import Failure, FakeSlack
from tests.support.serve import ServeProcess, wait_until
from tests.support.telegram_api import FakeTelegram, FakeTelegramServer, message_update, person
from tests.support.tokens import slack_token

pytestmark = pytest.mark.timeout(120)

WEBHOOK_SECRET = "deps-webhook-secret"
DEPENDENCIES = {"backend:trueconf", "slack", "telegram"}


@dataclass
class World:
    served: ServeProcess
    database: Path
    trueconf: SandboxServer
    slack: FakeSlack
    telegram: FakeTelegramServer

    def readyz(self) -> tuple[int, dict[str, Any]]:
        answer = httpx.get(self.served.url("/readyz"), timeout=10)
        return answer.status_code, answer.json()

    def metric(self, name: str, dependency: str) -> float:
        text = httpx.get(self.served.url("/metrics"), timeout=10).text
        prefix = f'{name}{{name="{dependency}"}} '
        [line] = [line for line in text.splitlines() if line.startswith(prefix)]
        return float(line.removeprefix(prefix))


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp("deps")
    database = tmp / "deps.db"
    with (
        SandboxServer() as trueconf,
        FakeSlack() as slack,
        FakeTelegramServer(FakeTelegram()) as telegram,
    ):
        env = {
            "DATABASE_URL": f"sqlite+aiosqlite:///{database}",
            "TRUECONF_SERVER_URL": trueconf.base_url,
            "TRUECONF_CLIENT_ID": trueconf.client_id,
            "TRUECONF_CLIENT_SECRET": trueconf.client_secret,
            "TRUECONF_TIMEOUT_SECONDS": "2",
            "SLACK_BOT_TOKEN": slack_token(),
            "SLACK_SIGNING_SECRET": "deps-signing-secret-0123456789",
            "SLACK_API_URL": slack.api_url,
            "TELEGRAM_BOT_TOKEN": telegram.state.token,
            "TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "TELEGRAM_API_URL": telegram.url,
            "TELEGRAM_ALLOWED_CHATS": "*",
            "READINESS_CACHE_SECONDS": "0",
            "READINESS_TIMEOUT_SECONDS": "1",
        }
        with ServeProcess(env=env, cwd=tmp) as served:
            world = World(served, database, trueconf, slack, telegram)
            wait_until(
                lambda: world.readyz()[1].get("dependencies", {}).get("telegram", {}).get("ok"),
                timeout=30,
                what="the Telegram bot to connect",
            )
            yield world
        assert "Traceback" not in served.log


def test_ready_names_what_it_requires_and_reports_each_dependency(world: World) -> None:
    status, answer = world.readyz()
    assert status == 200, answer
    assert set(answer["checks"]) == {"database", "started"}
    assert set(answer["dependencies"]) == DEPENDENCIES
    assert all(check["ok"] for check in answer["dependencies"].values()), answer
    for name in DEPENDENCIES:
        assert world.metric("meetbridge_dependency_up", name) == 1.0
        assert world.metric("meetbridge_dependency_check_seconds", name) >= 0.0


def revoke_trueconf(world: World) -> Callable[[], None]:
    secret = world.trueconf.state.client_secret
    world.trueconf.state.client_secret = "rotated-by-an-admin"
    world.trueconf.state.revoke_tokens()
    return lambda: setattr(world.trueconf.state, "client_secret", secret)


def slow_trueconf(world: World) -> Callable[[], None]:
    world.trueconf.state.latency = 3.0  # longer than READINESS_TIMEOUT_SECONDS and the calls'
    return lambda: setattr(world.trueconf.state, "latency", 0.0)


def refuse_slack(world: World) -> Callable[[], None]:
    world.slack.fail(Failure("auth.test", count=1000, error="invalid_auth"))

    def restore() -> None:
        with world.slack.state.lock:
            world.slack.state.failures.clear()

    return restore


def revoke_telegram(world: World) -> Callable[[], None]:
    token = world.telegram.state.token
    world.telegram.state.token = "999:revoked"
    return lambda: setattr(world.telegram.state, "token", token)


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
    world: World, breaks: Callable[[World], Callable[[], None]], failing: str, says: str
) -> None:
    restore = breaks(world)
    try:
        status, answer = world.readyz()
        up = world.metric("meetbridge_dependency_up", failing)
    finally:
        restore()
    assert status == 200, answer
    assert answer["status"] == "ok"
    broken = {name for name, check in answer["dependencies"].items() if not check["ok"]}
    assert broken == {failing}
    assert says in answer["dependencies"][failing]["detail"]
    assert up == 0.0
    world.readyz()  # checked again once repaired
    assert world.metric("meetbridge_dependency_up", failing) == 1.0


def test_not_ready_when_the_database_is_behind_on_migrations(world: World) -> None:
    with closing(sqlite3.connect(world.database)) as db, db:
        (old,) = db.execute("SELECT version_num FROM alembic_version").fetchone()
        db.execute("UPDATE alembic_version SET version_num = '0001'")
    try:
        status, answer = world.readyz()
    finally:
        with closing(sqlite3.connect(world.database)) as db, db:
            db.execute("UPDATE alembic_version SET version_num = ?", (old,))
    assert status == 503, answer
    assert not answer["checks"]["database"]["ok"]
    assert "meetbridge db upgrade" in answer["checks"]["database"]["detail"]


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
