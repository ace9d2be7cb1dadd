"""A database too slow to take a command in time: Slack gives up on an
acknowledgement after 3 s and shows the person an error, so the bridge answers
by its deadline (2 s) that taking commands is slow and that an answer or a
"nothing was done" will follow; the write goes on. Once it lands the command
is answered, once; if it fails, the person is told nothing was done. The
stall is real: another connection holds the write lock of the
accepted-commands table (PostgreSQL) or of the file (SQLite)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text as sql

from adapters.slack.texts import text
from adapters.trueconf.sandbox import SandboxServer
from storage.db import build_engine
from tests.e2e.slack.support import SlackWorld, start_world
from tests.support.fake_slack import FakeSlack
from tests.support.serve import wait_until

pytestmark = pytest.mark.timeout(120)


@contextmanager
def write_lock_held(url: str) -> Iterator[None]:
    """Another connection holds the lock a new command's write needs, in a
    thread of its own, until the block ends."""
    taken, release = threading.Event(), threading.Event()
    failure: list[BaseException] = []

    async def hold() -> None:
        engine = build_engine(url)
        try:
            async with engine.connect() as conn:
                transaction = await conn.begin()  # SQLite: BEGIN IMMEDIATE, the write lock
                if engine.dialect.name == "postgresql":
                    await conn.execute(sql("LOCK TABLE accepted_commands IN EXCLUSIVE MODE"))
                taken.set()
                await asyncio.to_thread(release.wait)
                await transaction.rollback()
        finally:
            await engine.dispose()

    def run() -> None:
        try:
            asyncio.run(hold())
        except BaseException as exc:  # reported by the test, not lost in the thread
            failure.append(exc)
            taken.set()

    holder = threading.Thread(target=run, name="write-lock")
    holder.start()
    try:
        assert taken.wait(30), "the lock was not taken"
        assert not failure, failure
        yield
    finally:
        release.set()
        holder.join(30)
    assert not failure, failure


async def _end_lock_waits(url: str) -> int:
    """PostgreSQL: the acceptances waiting for the lock are ended (what a
    failover or an admin's kill does to them; the work process's claims,
    which wait too, are left alone); how many."""
    engine = build_engine(url)
    try:
        async with engine.connect() as conn:
            ended = await conn.scalar(
                sql(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    " WHERE wait_event_type = 'Lock' AND datname = current_database()"
                    # Its text as pg_stat_activity keeps it: the first 1,024
                    # characters of storage.command_queue's grouped INSERT.
                    " AND query ILIKE '%WITH incoming AS%'"
                )
            )
        return int(ended or 0)
    finally:
        await engine.dispose()


def test_a_stalled_write_that_fails_is_told_as_nothing_done(
    tmp_path: Path, slack: FakeSlack, sandbox: SandboxServer, migrated_url: str
) -> None:
    for world in start_world(tmp_path, slack, sandbox, DATABASE_URL=migrated_url):  # one world
        check_slow_then_failed(world, migrated_url)


def check_slow_then_failed(world: SlackWorld, url: str) -> None:
    created = world.sandbox.state.calls("POST /conferences")
    with write_lock_held(url):
        answer, _, name = world.command("now Lost call")
        assert answer.text == text("slow", "en")
        if url.startswith("postgresql"):
            assert asyncio.run(_end_lock_waits(url)) == 1
        # SQLite: the write gives up once the lock outlasts its busy timeout (5 s).
        [note] = world.slack.wait_for_responses(name, 1, timeout=30)
    assert note["response_type"] == "ephemeral"
    assert note["text"] == text("unavailable", "en")
    assert world.sandbox.state.calls("POST /conferences") == created


def test_a_stalled_write_is_answered_as_slow_and_the_command_done_once_it_lands(
    tmp_path: Path, slack: FakeSlack, sandbox: SandboxServer, migrated_url: str
) -> None:
    for world in start_world(tmp_path, slack, sandbox, DATABASE_URL=migrated_url):  # one world
        check_slow_then_done(world, migrated_url)


def check_slow_then_done(world: SlackWorld, url: str) -> None:
    sandbox = world.sandbox
    warm, _, warm_name = world.command("now Warm-up")
    assert "Working on it" in warm.text
    world.slack.wait_for_responses(warm_name, 1)
    created = sandbox.state.calls("POST /conferences")
    with write_lock_held(url):
        answer, _, name = world.command("now Late call")
        assert answer.status_code == 200
        assert answer.text == text("slow", "en")
        assert sandbox.state.calls("POST /conferences") == created  # not yet written
    # The lock is gone: the write lands, and the command is worked on.
    [card] = world.slack.wait_for_responses(name, 1)
    assert card["response_type"] == "in_channel"
    assert "Late call" in str(card)
    wait_until(
        lambda: "a slow Slack command was accepted late" in world.served.log,
        timeout=10,
        what="the late acceptance to be logged",
    )
    assert sandbox.state.calls("POST /conferences") == created + 1
