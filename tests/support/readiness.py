"""``meetbridge serve`` with TrueConf (and Callaba, when asked), Slack and
Telegram configured against their fakes, for the ``/readyz`` tests; and the
ways to break each dependency, each returning what repairs it."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from adapters.callaba.sandbox import CallabaSandbox
from adapters.trueconf.sandbox import SandboxServer
from tests.support.fake_slack import Failure, FakeSlack
from tests.support.serve import ServeProcess
from tests.support.telegram_api import FakeTelegram, FakeTelegramServer


@dataclass
class World:
    served: ServeProcess
    database: Path
    trueconf: SandboxServer
    slack: FakeSlack
    telegram: FakeTelegramServer
    callaba: CallabaSandbox | None = None

    def readyz(self) -> tuple[int, dict[str, Any]]:
        answer = httpx.get(self.served.url("/readyz"), timeout=10)
        return answer.status_code, answer.json()

    def metric(self, name: str, dependency: str) -> float:
        text = httpx.get(self.served.url("/metrics"), timeout=10).text
        prefix = f'{name}{{name="{dependency}"}} '
        [line] = [line for line in text.splitlines() if line.startswith(prefix)]
        return float(line.removeprefix(prefix))

    def dependency_up(self, dependency: str) -> bool:
        """Its last check passed, by ``/metrics`` (not yet checked: no)."""
        try:
            return self.metric("meetbridge_dependency_up", dependency) == 1.0
        except ValueError:
            return False

    def found(self, check: str) -> str:
        """What the check found the last time it started failing, as the log
        says it (``/readyz`` says ready or not alone); empty when never."""
        said = [
            line.partition(f"readiness: {check} ")[2]
            for line in self.served.log.splitlines()
            if f"readiness: {check} fails: " in line
            or f"readiness: {check} (a dependency) fails: " in line
        ]
        return said[-1] if said else ""


@contextmanager
def served_world(
    tmp: Path, settings: Mapping[str, str], *, with_callaba: bool = False
) -> Iterator[World]:
    """``serve`` on a SQLite file in ``tmp``, every dependency reachable, each
    readiness probe checking anew within 1s; ``settings`` add to or override
    that. The log holds no traceback when it stops."""
    database = tmp / "serve.db"
    with ExitStack() as fakes:
        trueconf = fakes.enter_context(SandboxServer())
        callaba = fakes.enter_context(CallabaSandbox()) if with_callaba else None
        slack = fakes.enter_context(FakeSlack())
        telegram = fakes.enter_context(FakeTelegramServer(FakeTelegram()))
        env = {
            "DATABASE_URL": f"sqlite+aiosqlite:///{database}",
            "TRUECONF_SERVER_URL": trueconf.base_url,
            "TRUECONF_CLIENT_ID": trueconf.client_id,
            "TRUECONF_CLIENT_SECRET": trueconf.client_secret,
            "SLACK_API_URL": slack.api_url,
            "TELEGRAM_BOT_TOKEN": telegram.state.token,
            "TELEGRAM_ALLOWED_CHATS": "*",
            "TELEGRAM_API_URL": telegram.url,
            "READINESS_CACHE_SECONDS": "0",  # each probe checks anew
            "READINESS_TIMEOUT_SECONDS": "1",
        }
        if callaba is not None:
            env |= {"CALLABA_URL": callaba.base_url, "CALLABA_TOKEN": callaba.token}
        with ServeProcess(env=env | dict(settings), cwd=tmp) as served:
            yield World(served, database, trueconf, slack, telegram, callaba)
        assert "Traceback" not in served.log


Breaks = Callable[[World], Callable[[], None]]


def set_revision(world: World, revision: str) -> str:
    """Mark the database as migrated to ``revision``; the revision it had."""
    with closing(sqlite3.connect(world.database)) as db, db:
        (old,) = db.execute("SELECT version_num FROM alembic_version").fetchone()
        db.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    return str(old)


def behind_on_migrations(world: World) -> Callable[[], None]:
    old = set_revision(world, "0004")

    def restore() -> None:
        set_revision(world, old)

    return restore


def revoke_trueconf(world: World) -> Callable[[], None]:
    secret = world.trueconf.state.client_secret
    world.trueconf.state.client_secret = "rotated-by-an-admin"
    world.trueconf.state.revoke_tokens()
    return lambda: setattr(world.trueconf.state, "client_secret", secret)


def slow_trueconf(world: World) -> Callable[[], None]:
    world.trueconf.state.latency = 3.0  # longer than READINESS_TIMEOUT_SECONDS (1)
    return lambda: setattr(world.trueconf.state, "latency", 0.0)


def rotate_callaba(world: World) -> Callable[[], None]:
    assert world.callaba is not None, "served_world(..., with_callaba=True)"
    state = world.callaba.state
    token = state.token
    state.token = "rotated-callaba-token"
    return lambda: setattr(state, "token", token)


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
