"""One full scenario through ``meetbridge serve`` with every part on (TrueConf
and Callaba, Slack and Telegram, the reminder dispatcher), logging at DEBUG
as JSON: Slack commands, Telegram updates, a reminder firing. Afterwards
``/metrics`` shows each metric, and the captured output is JSON lines in
which no configured secret appears and each command's request id is carried
by the backend calls made for it."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from adapters.callaba.sandbox import CallabaSandbox
from adapters.logs import REDACTED
from adapters.trueconf.sandbox import SandboxServer
from tests.e2e.slack.support import BOT_TOKEN, LINK_SECRET, SIGNING_SECRET, SlackWorld, start_world
from tests.support.fake_slack import Failure, FakeSlack, slack_user
from tests.support.serve import wait_until
from tests.support.telegram_api import (
    FakeTelegram,
    FakeTelegramServer,
    message_update,
    person,
)

pytestmark = pytest.mark.timeout(180)

WEBHOOK_SECRET = "observe-webhook-secret"
GROUP = -100777
ALICE = person(601, "alice")
Labels = tuple[tuple[str, str], ...]


@dataclass
class Scenario:
    world: SlackWorld
    callaba: CallabaSandbox
    telegram: FakeTelegramServer
    metrics: dict[tuple[str, Labels], float]
    log: str

    @property
    def secrets(self) -> list[str]:
        return [
            BOT_TOKEN,
            SIGNING_SECRET,
            LINK_SECRET,
            WEBHOOK_SECRET,
            self.world.sandbox.client_secret,
            self.callaba.token,
            self.telegram.state.token,
            self.telegram.state.token.partition(":")[2],
        ]

    def lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.log.splitlines() if line.strip()]

    def value(self, name: str, **labels: str) -> float:
        return sum(
            value
            for (metric, have), value in self.metrics.items()
            if metric == name and labels.items() <= dict(have).items()
        )


def telegram_says(served_url: str, telegram: FakeTelegramServer, text: str) -> None:
    update = message_update(text, chat_id=GROUP, sender=ALICE)
    update["update_id"] = telegram.state.next_update_id()
    answer = httpx.post(
        f"{served_url}/telegram/webhook",
        json=update,
        headers={"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET},
        timeout=10,
    )
    assert answer.status_code == 200


def make_reminders_due(database: Path) -> int:
    """The ledger's pending reminders, due now (instead of in a day)."""
    now = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    with closing(sqlite3.connect(database)) as db, db:
        changed = db.execute(
            "UPDATE scheduled_actions SET fire_at = ?, available_at = ? "
            "WHERE kind = 'remind' AND status = 'pending'",
            (now, now),
        ).rowcount
    return int(changed)


def scrape(url: str) -> dict[tuple[str, Labels], float]:
    text = httpx.get(url, timeout=10).text
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scenario]:
    tmp = tmp_path_factory.mktemp("observe")
    database = tmp / "observe.db"
    users = [slack_user("UCREATOR", "carol", email="carol@example.com")]
    with (
        SandboxServer() as sandbox,
        CallabaSandbox() as callaba,
        FakeSlack(users=users) as slack,
        FakeTelegramServer(FakeTelegram()) as telegram,
    ):
        env = {
            "DATABASE_URL": f"sqlite+aiosqlite:///{database}",
            "CALLABA_URL": callaba.base_url,
            "CALLABA_TOKEN": callaba.token,
            "TELEGRAM_BOT_TOKEN": telegram.state.token,
            "TELEGRAM_ALLOWED_CHATS": "*",
            "TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "TELEGRAM_API_URL": telegram.url,
            "REMINDER_SWEEP_SECONDS": "0.5",
            "LOG_LEVEL": "DEBUG",
            "LOG_FORMAT": "json",
        }
        # start_world also checks, at the end, that no Slack or TrueConf
        # secret and no traceback reached the log.
        for world in start_world(tmp, slack, sandbox, **env):
            url = world.served.url
            # Slack: a meeting on TrueConf (token fetch, create), and a list.
            _, _, created = world.command("tomorrow 15:00 for 1h Design review")
            world.slack.wait_for_responses(created, 1)
            _, _, listed = world.command("list")
            world.slack.wait_for_responses(listed, 1)
            # Telegram: this chat's meetings go to Callaba; two commands at
            # once into one chat, whose replies the rate limiter spaces.
            telegram_says(url(""), telegram, "/meet backend callaba")
            wait_until(lambda: len(telegram.state.sent(GROUP)) >= 1, timeout=20, what="reply")
            telegram_says(url(""), telegram, "/meet tomorrow 16:00 for 30m Sync")
            wait_until(lambda: len(telegram.state.sent(GROUP)) >= 2, timeout=20, what="card")
            telegram_says(url(""), telegram, "/meet help")
            telegram_says(url(""), telegram, "/meet list")
            wait_until(lambda: len(telegram.state.sent(GROUP)) >= 4, timeout=20, what="replies")
            # The reminders of both meetings, due now: one to Slack, one to
            # Telegram. Slack asks the first post to wait (429), then takes it.
            posts = len(world.slack.calls("chat.postMessage"))
            world.slack.fail(Failure("chat.postMessage", count=1, status=429, retry_after=0))
            assert make_reminders_due(database) == 2
            world.slack.wait_for_calls("chat.postMessage", posts + 2, timeout=30)
            wait_until(lambda: len(telegram.state.sent(GROUP)) >= 5, timeout=30, what="reminder")
            metrics = scrape(url("/metrics"))
            yield Scenario(world, callaba, telegram, metrics, world.served.log)


def test_metrics_show_commands_by_kind_and_outcome(scenario: Scenario) -> None:
    assert scenario.value("meetbridge_commands_total", kind="new", outcome="ok") == 2
    assert scenario.value("meetbridge_commands_total", kind="list", outcome="ok") == 2
    assert scenario.value("meetbridge_commands_total", kind="backend", outcome="ok") == 1
    assert scenario.value("meetbridge_command_duration_seconds_count", kind="new") == 2


def test_metrics_time_backend_calls_by_endpoint_template(scenario: Scenario) -> None:
    endpoints = {
        dict(labels)["endpoint"]: dict(labels)
        for (name, labels), _ in scenario.metrics.items()
        if name == "meetbridge_backend_request_duration_seconds_count"
    }
    assert "/api/v3.10/conferences" in endpoints  # the TrueConf create
    assert endpoints["/api/v3.10/conferences"]["backend"] == "trueconf"
    assert endpoints["/api/conferences/create"]["backend"] == "callaba"
    assert "/oauth2/v1/token" in endpoints
    ids = [*scenario.world.sandbox.state.conference_ids(), *scenario.callaba.state.rooms()]
    assert ids
    for endpoint in endpoints:  # ids never become labels
        assert not any(conference_id in endpoint for conference_id in ids), endpoint
    assert scenario.value("meetbridge_token_refreshes_total", backend="trueconf") >= 1


def test_metrics_count_reminders_their_lag_rate_limits_and_open_requests(
    scenario: Scenario,
) -> None:
    assert scenario.value("meetbridge_reminders_total", outcome="sent") == 2
    assert scenario.value("meetbridge_reminders_total", outcome="failed") == 0
    assert scenario.value("meetbridge_reminder_lag_seconds_count") == 2
    assert scenario.value("meetbridge_rate_limiter_waits_total", platform="telegram") >= 1
    assert scenario.value("meetbridge_rate_limiter_wait_seconds_total", platform="telegram") > 0
    # Slack's 429 on the reminder: one wait, as long as slack-sdk slept.
    assert scenario.value("meetbridge_rate_limiter_waits_total", platform="slack") == 1
    assert scenario.value("meetbridge_rate_limiter_wait_seconds_total", platform="slack") > 0
    # The scrape itself was in progress when it was taken.
    assert scenario.value("meetbridge_http_requests_in_progress") >= 1


def test_the_debug_log_is_json_lines_without_a_secret(scenario: Scenario) -> None:
    for secret in scenario.secrets:
        assert secret not in scenario.log
    # They were there to mask: every Bot API URL httpx logged carried the token.
    assert f"/bot{REDACTED}/sendMessage" in scenario.log
    lines = scenario.lines()  # every line parses
    loggers = {line["logger"] for line in lines}
    # Libraries' debug lines went through the same handler and redaction.
    assert {"httpx", "httpcore.http11", "telegram.ext.Application"} <= loggers
    assert any(name.startswith("slack") for name in loggers)


def test_each_command_line_has_a_request_id_its_backend_calls_carry(
    scenario: Scenario,
) -> None:
    lines = scenario.lines()
    commands = [line for line in lines if line.get("event") == "command"]
    assert len(commands) == 6
    for command in commands:
        assert {"platform", "chat", "kind", "outcome", "duration_ms", "request_id"} <= set(command)
    ids = [command["request_id"] for command in commands]
    assert len(set(ids)) == len(ids)  # one per command
    calls = [line for line in lines if line.get("event") == "backend_call"]
    for command in commands:
        if command["kind"] == "new":
            backend = "trueconf" if command["platform"] == "slack" else "callaba"
            mine = [c for c in calls if c.get("request_id") == command["request_id"]]
            assert any(c["backend"] == backend for c in mine), command
    reminders = [line for line in lines if line.get("event") == "scheduled_action"]
    assert len(reminders) == 2
    for reminder in reminders:
        same = [line for line in lines if line.get("request_id") == reminder["request_id"]]
        assert len(same) > 1  # the send to the messenger carries it too
