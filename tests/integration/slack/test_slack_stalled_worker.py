"""A Slack command worker that stalls past its lease between claiming a
command and beginning it (a paused VM, a process starved of CPU) does not
begin a command another worker took over meanwhile; one nobody took is given
back and answered once. On real SQLite and PostgreSQL, a fake Slack over
loopback, the clock injected."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.slack.component import SlackComponent
from adapters.slack.config import SlackConfig
from adapters.slack.work import command_payload, order_of
from bot.clock import FrozenClock
from bot.messengers import Messengers
from bot.ports.queue import QueuedCommand
from bot.service import CommandService
from storage import build_engine
from storage.command_queue import SqlCommandQueue
from storage.models import AcceptedCommandRow
from tests.fakes import FakeBackend, fake_deps
from tests.support.fake_slack import FakeSlack
from tests.support.tokens import slack_token
from tests.support.waiting import until, until_async

pytestmark = pytest.mark.timeout(60)

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
LEASE = timedelta(minutes=2)


class StallingQueue(SqlCommandQueue):
    """The worker stops right after its first claim until ``resume``."""

    def __init__(self, engine: AsyncEngine) -> None:
        super().__init__(engine, "slack")
        self.stalled = asyncio.Event()
        self.resume = asyncio.Event()

    async def claim(
        self, owner: str, now: datetime, lease: timedelta, limit: int
    ) -> list[QueuedCommand]:
        claimed = await super().claim(owner, now, lease, limit)
        if claimed and not self.stalled.is_set():
            self.stalled.set()
            await self.resume.wait()
        return claimed


@dataclass
class Work:
    slack: FakeSlack
    engine: AsyncEngine
    queue: StallingQueue
    clock: FrozenClock
    backend: FakeBackend

    async def row(self) -> tuple[str, str | None, int]:
        async with self.engine.connect() as connection:
            found = (
                await connection.execute(
                    select(
                        AcceptedCommandRow.status,
                        AcceptedCommandRow.lease_owner,
                        AcceptedCommandRow.attempts,
                    )
                )
            ).one()
        return found.status, found.lease_owner, found.attempts


@asynccontextmanager
async def stalled_worker(url: str) -> AsyncIterator[Work]:
    """``/meet now Standup`` accepted, claimed by a worker that then stalls."""
    with FakeSlack() as slack:
        engine = build_engine(url)
        queue = StallingQueue(engine)
        backend = FakeBackend()
        deps = fake_deps(backend, [], NOW, owner_login="admin", zone="UTC", server_zone="UTC")
        clock, uow = deps.clock, deps.uow
        assert isinstance(clock, FrozenClock)
        config = SlackConfig(
            signing_secret=SecretStr("s"),
            api_url=slack.api_url,
            bot_token=SecretStr(slack_token()),
            commands_lease=LEASE,
        )
        component = SlackComponent(
            config, CommandService(deps), uow, Messengers(), queue=queue, clock=clock
        )
        body = {
            "team_id": "T1",
            "channel_id": "C1",
            "user_id": "U1",
            "response_url": slack.response_url("1"),
            "trigger_id": "1.2.3",
        }
        payload = command_payload(body, "now Standup", uploads=False)
        await queue.accept("k1", order_of(payload), payload, now=NOW, backlog=10)
        work = component.worker()
        await work.start()
        try:
            async with asyncio.timeout(20):
                await queue.stalled.wait()
            yield Work(slack, engine, queue, clock, backend)
        finally:
            queue.resume.set()
            await work.stop()
            await engine.dispose()


async def test_a_worker_stalled_past_its_lease_does_not_begin_what_another_took(
    migrated_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="adapters.slack.work")
    async with stalled_worker(migrated_url) as work:
        work.clock.advance(LEASE + timedelta(seconds=1))
        other = SqlCommandQueue(work.engine, "slack")
        [taken] = await other.claim("w2", work.clock.now(), LEASE, 10)
        assert await other.finish(taken.id, "w2", work.clock.now(), done=True)
        work.queue.resume.set()

        def not_begun() -> bool:
            return any("before its work began" in r.getMessage() for r in caplog.records)

        await until(not_begun, within=20, what="the stalled worker's decision")
        status = await work.row()
    assert status == ("done", None, 2)  # w2's record stands
    assert work.slack.responses("1") == []  # answered by w2 alone (not here)
    assert work.backend.conferences == {}  # no second meeting made


async def test_a_command_nobody_took_is_given_back_and_answered_once(migrated_url: str) -> None:
    async with stalled_worker(migrated_url) as work:
        work.clock.advance(LEASE + timedelta(seconds=1))
        work.queue.resume.set()
        answers = await asyncio.to_thread(work.slack.wait_for_responses, "1", 1)

        async def recorded() -> bool:
            return (await work.row())[0] == "done"

        await until_async(recorded, within=20, what="the command recorded done")
        status = await work.row()
    assert len(answers) == 1
    assert "Standup" in str(answers[0])
    assert status == ("done", None, 1)  # given back once: not an attempt
    assert len(work.backend.conferences) == 1
