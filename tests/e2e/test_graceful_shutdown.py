"""SIGTERM with a reminder send in flight, on PostgreSQL with real processes:
the stopping process either finishes the send or releases the reminder,
which another process then delivers: exactly once in the end. Either way the
stopping process exits 0 within SHUTDOWN_TIMEOUT_SECONDS."""

from __future__ import annotations

import asyncio
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from storage.db import build_engine
from tests.support.serve import ServeProcess, wait_until
from tests.support.telegram_api import (
    Call,
    FakeTelegram,
    FakeTelegramServer,
    message_update,
    person,
)

pytestmark = [pytest.mark.timeout(120), pytest.mark.postgres]

SHUTDOWN = 4.0  # seconds; the dispatcher gives sends in flight half of it
SECRET = "shutdown-webhook-secret"
GROUP = -100555
BOB = person(701, "bob")


@pytest.fixture
def telegram() -> Iterator[FakeTelegramServer]:
    with FakeTelegramServer(FakeTelegram()) as server:
        yield server


def serve(telegram: FakeTelegramServer, database_url: str, cwd: Path) -> ServeProcess:
    env = {
        "DATABASE_URL": database_url,
        "TELEGRAM_BOT_TOKEN": telegram.state.token,
        "TELEGRAM_ALLOWED_CHATS": "*",
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "TELEGRAM_API_URL": telegram.url,
        "REMINDER_SWEEP_SECONDS": "0.5",
        "SHUTDOWN_TIMEOUT_SECONDS": str(SHUTDOWN),
    }
    return ServeProcess(env=env, cwd=cwd)


async def _sql(database_url: str, statement: str) -> list[tuple[object, ...]]:
    engine = build_engine(database_url)
    try:
        async with engine.begin() as connection:
            result = await connection.execute(text(statement))
            return [tuple(row) for row in result] if result.returns_rows else []
    finally:
        await engine.dispose()


def sql(database_url: str, statement: str) -> list[tuple[object, ...]]:
    return asyncio.run(_sql(database_url, statement))


def reminders(telegram: FakeTelegramServer, card: Call) -> list[Call]:
    """Messages delivered after the meeting's card (the reminders)."""
    return [c for c in telegram.state.sent(GROUP) if c.at > card.at]


def meeting_with_a_reminder_in_flight(
    served: ServeProcess, telegram: FakeTelegramServer, database_url: str
) -> Call:
    """A meeting made through the webhook; its reminder made due and its send
    held by Telegram, so the process is caught mid-send. Returns the card."""
    update = message_update("/meet tomorrow 15:00 for 1h Standup", chat_id=GROUP, sender=BOB)
    update["update_id"] = telegram.state.next_update_id()
    answer = httpx.post(
        served.url("/telegram/webhook"),
        json=update,
        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
        timeout=10,
    )
    assert answer.status_code == 200
    wait_until(lambda: len(telegram.state.sent(GROUP)) == 1, timeout=20, what="the card")
    [card] = telegram.state.sent(GROUP)
    telegram.state.hold = lambda call: True
    sql(
        database_url,
        "UPDATE scheduled_actions SET fire_at = now(), available_at = now() WHERE kind = 'remind'",
    )
    wait_until(lambda: len(telegram.state.holding) == 1, timeout=20, what="the send in flight")
    return card


def status_of_reminder(database_url: str) -> str:
    [(status,)] = sql(database_url, "SELECT status FROM scheduled_actions WHERE kind = 'remind'")
    return str(status)


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_a_send_in_flight_is_finished_before_the_process_exits(
    database_url: str, telegram: FakeTelegramServer, tmp_path: Path
) -> None:
    served = serve(telegram, database_url, tmp_path)
    with served:
        card = meeting_with_a_reminder_in_flight(served, telegram, database_url)
        assert served.process is not None
        stopped_at = time.monotonic()
        served.process.send_signal(signal.SIGTERM)
        wait_until(
            lambda: "finishing 1 reminder send(s) in flight" in served.log,
            timeout=SHUTDOWN,
            what="the stop to wait for the send",
        )
        telegram.state.release.set()  # Telegram answers now
        returncode = served.process.wait(timeout=SHUTDOWN * 3)
        took = time.monotonic() - stopped_at
    assert returncode == 0, served.log
    assert took < SHUTDOWN, f"took {took:.1f}s"
    assert len(reminders(telegram, card)) == 1
    assert status_of_reminder(database_url) == "sent"
    assert "Traceback" not in served.log


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_a_send_still_in_flight_at_the_deadline_is_delivered_by_another_process(
    database_url: str, telegram: FakeTelegramServer, tmp_path: Path
) -> None:
    stopping = serve(telegram, database_url, tmp_path)
    with stopping:
        card = meeting_with_a_reminder_in_flight(stopping, telegram, database_url)
        stopped_at = time.monotonic()
        returncode = stopping.stop(timeout=SHUTDOWN * 3)  # Telegram never answers it
        took = time.monotonic() - stopped_at
    assert returncode == 0, stopping.log
    assert took < SHUTDOWN, f"took {took:.1f}s"
    assert "released 1 reminder(s) to other processes" in stopping.log
    wait_until(lambda: len(telegram.state.abandoned) == 1, timeout=10, what="the hang-up")
    assert reminders(telegram, card) == []
    assert status_of_reminder(database_url) == "pending"  # released, not left to its lease

    telegram.state.hold = None
    other = serve(telegram, database_url, tmp_path)
    with other:
        wait_until(lambda: reminders(telegram, card) != [], timeout=20, what="the reminder")
        wait_until(
            lambda: status_of_reminder(database_url) == "sent", timeout=10, what="it recorded"
        )
    assert len(reminders(telegram, card)) == 1  # exactly once in the end
    assert "Standup" in reminders(telegram, card)[0].text
    assert other.stop() == 0
