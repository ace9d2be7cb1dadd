"""Three ``meetbridge serve`` replicas on one PostgreSQL database at the
default reminder settings; one is killed (SIGKILL) while it holds claims for
reminders of meetings starting a minute later. Every reminder still reaches
its chat, as usual (none expired, none marked "the bridge was not running"),
the dead replica's rows are taken over within a lease of its death, and the
only repeats are the messages it had handed to Slack but not yet marked.

Deterministic without timing: the fake Slack takes each ``chat.postMessage``
(recorded on arrival, as Slack would have taken it) but holds its answer until
the test opens the gate, so the rows are caught mid-send, held by whichever
replicas claimed them."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, text

from adapters.trueconf.sandbox import SandboxServer
from bot.chat import ChatRef
from bot.settings import Settings
from storage.db import build_engine, build_session_factory
from storage.models import ScheduledActionRow
from storage.repositories.ledger import NOTIFY_CHANNEL
from tests.e2e.slack.support import assert_clean_log, serve_settings
from tests.support.fake_slack import TEAM, FakeSlack
from tests.support.reminders import seed, utcnow
from tests.support.serve import ServeProcess, wait_until, work_pids

pytestmark = [pytest.mark.postgres, pytest.mark.timeout(240)]

REPLICAS = 3
COUNT = 30
CHAT = ChatRef("slack", TEAM, "C0TAKEOVER")
BEFORE = timedelta(minutes=1)  # each meeting starts a minute after its reminder
DEFAULTS = Settings.model_fields
LEASE = float(DEFAULTS["reminder_lease_seconds"].default)
RENEW = float(DEFAULTS["reminder_renew_seconds"].default)
MESSAGE_ID = re.compile(r"^Reminder: #(\d+)")


def ledger(url: str) -> list[Any]:
    """Each reminder row: id, meeting, status, holder, attempts."""

    async def read() -> list[Any]:
        engine = build_engine(url)
        try:
            async with engine.connect() as connection:
                query = select(
                    ScheduledActionRow.id,
                    ScheduledActionRow.meeting_id,
                    ScheduledActionRow.status,
                    ScheduledActionRow.lease_owner,
                    ScheduledActionRow.attempts,
                )
                return list(await connection.execute(query))
        finally:
            await engine.dispose()

    return asyncio.run(read())


def seed_due_soon(url: str) -> None:
    """``COUNT`` reminders due within the next few seconds, for meetings a
    minute later; then the ``NOTIFY`` a process writing rows sends."""

    async def write() -> None:
        engine = build_engine(url)
        try:
            now = utcnow()
            fire = [now + timedelta(seconds=3, milliseconds=30 * n) for n in range(COUNT)]
            await seed(build_session_factory(engine), fire, now=now, chats=(CHAT,), offset=BEFORE)
            async with engine.begin() as connection:
                await connection.execute(
                    text("SELECT pg_notify(:channel, :payload)"),
                    {"channel": NOTIFY_CHANNEL, "payload": fire[0].isoformat()},
                )
        finally:
            await engine.dispose()

    asyncio.run(write())


def pid_of(owner: str) -> int:
    """A lease owner is ``host:pid:random``."""
    return int(owner.rsplit(":", 2)[1])


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(server_zone="Europe/Moscow") as server:
        yield server


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_a_replica_killed_holding_claims_loses_no_reminder_and_tells_no_untruth(
    database_url: str,
    sandbox: SandboxServer,
    slack: FakeSlack,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    env = serve_settings(slack, sandbox, DATABASE_URL=database_url, TRUECONF_TIMEOUT_SECONDS="10")
    assert not any(name.startswith("REMINDER_") for name in env)  # the defaults
    replicas = [
        ServeProcess(env=env, cwd=tmp_path_factory.mktemp(f"replica{n}"), ready_timeout=90)
        for n in range(REPLICAS)
    ]
    gate = slack.hold("chat.postMessage")
    try:
        with ThreadPoolExecutor(REPLICAS) as pool:
            list(pool.map(ServeProcess.start, replicas))
        seed_due_soon(database_url)

        # Every reminder claimed and handed to Slack, its answer held.
        wait_until(
            lambda: (
                len(slack.calls("chat.postMessage")) == COUNT
                and all(row.status == "sending" for row in ledger(database_url))
            ),
            timeout=60,
            what="every reminder caught mid-send",
        )
        held = Counter(row.lease_owner for row in ledger(database_url))
        owner, _ = held.most_common(1)[0]
        # Slack's reminders are sent by each replica's work process.
        [victim] = [r for r in replicas if pid_of(owner) in work_pids(r)]
        doomed = {row.id for row in ledger(database_url) if row.lease_owner == owner}
        assert victim.process is not None
        # The replica dies whole, both processes (SIGKILL): no release, no last words.
        os.kill(pid_of(owner), signal.SIGKILL)
        victim.process.kill()
        killed_at = time.monotonic()
        victim.process.wait(timeout=10)
        gate.open()  # the survivors' sends complete; the victim's connections are gone

        wait_until(
            lambda: all(row.status != "sending" for row in ledger(database_url)),
            timeout=LEASE + RENEW + 60,
            what="the dead replica's rows taken over and sent",
        )
        takeover = time.monotonic() - killed_at
        final = ledger(database_url)
        survivors = [r for r in replicas if r is not victim]
        for served in survivors:
            assert served.stop() == 0
    finally:
        gate.open()
        for served in replicas:
            if served.process is not None and served.process.poll() is None:
                served.stop()

    print(f"\n{len(doomed)} rows held by the killed replica; taken over {takeover:.1f} s after")
    # Taken over within a lease of the last renewal before the death.
    assert takeover <= LEASE + RENEW
    assert Counter(row.status for row in final) == {"sent": COUNT}
    assert {row.id: row.attempts for row in final} == {
        row.id: 2 if row.id in doomed else 1 for row in final
    }
    texts = [call.params["text"] for call in slack.calls("chat.postMessage")]
    assert all(call.params["channel"] == CHAT.chat_id for call in slack.calls("chat.postMessage"))
    for message in texts:
        assert "not running" not in message
        assert "sent late" not in message
    meeting_of = {row.id: row.meeting_id for row in final}
    sent = Counter(int(match.group(1)) for t in texts if (match := MESSAGE_ID.match(t)))
    # Each reminder delivered; sent twice only if the dead replica had handed
    # it to Slack without living to mark it.
    assert sent == {meeting_of[i]: 2 if i in doomed else 1 for i in meeting_of}
    for served in survivors:
        assert_clean_log(served, sandbox)
