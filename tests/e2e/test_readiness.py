"""``/readyz`` of a running ``meetbridge serve`` with everything configured,
in strict mode (READINESS_STRICT=true: every dependency must pass too): 200
naming each check, then 503 for each reason in turn (the database behind on
migrations, TrueConf refusing the credentials, Callaba the token, Slack the
bot token, Telegram the bot token, a server too slow to answer), each time
naming the one check that fails; and never a secret in an answer. The default
mode is in test_readiness_dependencies.py."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from adapters.callaba.sandbox import CallabaSandbox
from adapters.trueconf.sandbox import SandboxServer
from tests.support.fake_slack import Failure, FakeSlack
from tests.support.serve import ServeProcess
from tests.support.telegram_api import FakeTelegram, FakeTelegramServer
from tests.support.tokens import slack_token

pytestmark = pytest.mark.timeout(120)

BOT_TOKEN = slack_token()
SIGNING_SECRET = "ready-signing-secret-0123456789"
WEBHOOK_SECRET = "ready-webhook-secret"
CHECKS = {"database", "started", "backend:trueconf", "backend:callaba", "slack", "telegram"}


@dataclass
class World:
    served: ServeProcess
    database: Path
    trueconf: SandboxServer
    callaba: CallabaSandbox
    slack: FakeSlack
    telegram: FakeTelegramServer

    def readyz(self) -> tuple[int, dict[str, Any]]:
        answer = httpx.get(self.served.url("/readyz"), timeout=10)
        return answer.status_code, answer.json()

    @property
    def secrets(self) -> list[str]:
        return [
            BOT_TOKEN,
            SIGNING_SECRET,
            WEBHOOK_SECRET,
            self.trueconf.client_secret,
            self.callaba.token,
            self.telegram.state.token,
        ]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp("ready")
    database = tmp / "ready.db"
    with (
        SandboxServer() as trueconf,
        CallabaSandbox() as callaba,
        FakeSlack() as slack,
        FakeTelegramServer(FakeTelegram()) as telegram,
    ):
        env = {
            "DATABASE_URL": f"sqlite+aiosqlite:///{database}",
            "TRUECONF_SERVER_URL": trueconf.base_url,
            "TRUECONF_CLIENT_ID": trueconf.client_id,
            "TRUECONF_CLIENT_SECRET": trueconf.client_secret,
            "TRUECONF_TIMEOUT_SECONDS": "5",
            "CALLABA_URL": callaba.base_url,
            "CALLABA_TOKEN": callaba.token,
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": slack.api_url,
            "TELEGRAM_BOT_TOKEN": telegram.state.token,
            "TELEGRAM_ALLOWED_CHATS": "*",
            "TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "TELEGRAM_API_URL": telegram.url,
            "READINESS_CACHE_SECONDS": "0",  # each probe checks anew
            "READINESS_TIMEOUT_SECONDS": "1",
            "READINESS_STRICT": "true",
        }
        with ServeProcess(env=env, cwd=tmp) as served:
            yield World(served, database, trueconf, callaba, slack, telegram)
        assert "Traceback" not in served.log


def test_ready_when_all_is_well_naming_each_check(world: World) -> None:
    status, answer = world.readyz()
    assert status == 200, answer
    assert answer["status"] == "ok"
    assert set(answer["checks"]) == CHECKS
    assert all(check["ok"] for check in answer["checks"].values())
    assert world.slack.calls("auth.test")  # Slack was asked, not assumed


def set_revision(world: World, revision: str) -> str:
    with closing(sqlite3.connect(world.database)) as db, db:
        (old,) = db.execute("SELECT version_num FROM alembic_version").fetchone()
        db.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    return str(old)


def revoke_trueconf(world: World) -> Callable[[], None]:
    secret = world.trueconf.state.client_secret
    world.trueconf.state.client_secret = "rotated-by-an-admin"
    world.trueconf.state.revoke_tokens()
    return lambda: setattr(world.trueconf.state, "client_secret", secret)


def rotate_callaba(world: World) -> Callable[[], None]:
    token = world.callaba.state.token
    world.callaba.state.token = "rotated-callaba-token"
    return lambda: setattr(world.callaba.state, "token", token)


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


def behind_on_migrations(world: World) -> Callable[[], None]:
    old = set_revision(world, "0004")

    def restore() -> None:
        set_revision(world, old)

    return restore


def slow_trueconf(world: World) -> Callable[[], None]:
    world.trueconf.state.latency = 3.0  # READINESS_TIMEOUT_SECONDS is 1
    return lambda: setattr(world.trueconf.state, "latency", 0.0)


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
    world: World, breaks: Callable[[World], Callable[[], None]], failing: str, says: str
) -> None:
    restore = breaks(world)
    try:
        status, answer = world.readyz()
    finally:
        restore()
    assert status == 503, answer
    assert answer["status"] == "failing"
    assert set(answer["checks"]) == CHECKS
    broken = {name for name, check in answer["checks"].items() if not check["ok"]}
    assert broken == {failing}
    assert says in answer["checks"][failing]["detail"]
    text = str(answer)
    for secret in world.secrets:
        assert secret not in text
    status, answer = world.readyz()  # and back once it is repaired
    assert status == 200, answer
