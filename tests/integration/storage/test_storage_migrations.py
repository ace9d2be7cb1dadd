"""Migrations: idempotent, cwd-independent, and in step with the models."""

from __future__ import annotations

import fnmatch
import tomllib
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat import ChatRef
from bot.ports import ChatSettings
from bot.schedule import Once, Weekday, Weekly
from storage.db import build_engine, build_session_factory
from storage.migrate import (
    MIGRATIONS_DIR,
    alembic_config,
    current_revision,
    head_revision,
    is_up_to_date,
    storage_owns,
    upgrade,
)
from storage.models import Base, ScheduledActionRow
from storage.uow import SqlUnitOfWorkFactory

REPO = Path(__file__).resolve().parents[3]
TABLES = {"meetings", "meeting_invitees", "user_links", "chat_settings", "audit_log"}


def _diff(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "include_object": storage_owns}
    )
    return list(compare_metadata(context, Base.metadata))


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


def _downgrade_to_base(connection: Connection, config: Config) -> None:
    config.attributes["connection"] = connection
    command.downgrade(config, "base")


async def _run(url: str, fn: Any, *args: Any) -> Any:
    engine: AsyncEngine = build_engine(url)
    try:
        async with engine.begin() as connection:
            return await connection.run_sync(fn, *args)
    finally:
        await engine.dispose()


async def test_models_and_migrations_agree(migrated_url: str) -> None:
    assert await _run(migrated_url, _diff) == []
    # The diff leaves tables of other owners alone: the migrations make
    # exactly the models' tables (the Slack adapter migrates its own).
    assert await _run(migrated_url, _tables) == {*Base.metadata.tables, "alembic_version"}


async def test_upgrade_from_empty_then_again_is_a_no_op(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no alembic.ini here: the config must not need one
    assert await current_revision(database_url) is None
    assert await is_up_to_date(database_url) is False

    await upgrade(database_url)
    engine = build_engine(database_url)
    try:
        async with SqlUnitOfWorkFactory(build_session_factory(engine))() as uow:
            await uow.chat_settings.save(ChatRef("console", "", "tty"), ChatSettings(lang="ru"))
            await uow.commit()
        await upgrade(database_url)  # second run: nothing to do, nothing lost
        async with SqlUnitOfWorkFactory(build_session_factory(engine))() as uow:
            kept = await uow.chat_settings.get(ChatRef("console", "", "tty"))
    finally:
        await engine.dispose()

    assert kept == ChatSettings(lang="ru")
    newest_file = max(p.name for p in (MIGRATIONS_DIR / "versions").glob("[0-9]*.py"))
    assert await current_revision(database_url) == head_revision() == newest_file[:4]
    assert await is_up_to_date(database_url) is True
    assert await _run(database_url, _tables) >= TABLES


async def test_downgrade_to_base_removes_every_table(migrated_url: str) -> None:
    await _run(migrated_url, _downgrade_to_base, alembic_config(migrated_url))
    assert await _run(migrated_url, _tables) == {"alembic_version"}
    assert await current_revision(migrated_url) is None
    await upgrade(migrated_url)
    assert await _run(migrated_url, _diff) == []


def test_alembic_config_keeps_percent_encoded_passwords() -> None:
    config = alembic_config("postgresql://bridge:p%40ss%25word@db.internal/meetbridge")
    assert config.get_main_option("script_location") == str(MIGRATIONS_DIR)
    assert config.get_main_option("sqlalchemy.url") == (
        "postgresql+asyncpg://bridge:p%40ss%25word@db.internal/meetbridge"
    )


def test_package_data_ships_every_migration_file() -> None:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    patterns: list[str] = pyproject["tool"]["setuptools"]["package-data"]["storage"]
    storage_dir = REPO / "storage"
    files = [
        p.relative_to(storage_dir).as_posix()
        for p in MIGRATIONS_DIR.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    ]
    assert "migrations/env.py" in files
    assert "migrations/script.py.mako" in files
    assert "migrations/versions/0001_initial.py" in files
    missing = [f for f in files if not any(fnmatch.fnmatch(f, pat) for pat in patterns)]
    assert missing == []


def _downgrade_to(connection: Connection, config: Config, revision: str) -> None:
    config.attributes["connection"] = connection
    command.downgrade(config, revision)


async def test_meetings_stored_before_calendar_uids_each_get_one(
    migrated_url: str, make_meeting: Any
) -> None:
    """0007 gives every meeting already stored its own calendar UID."""
    engine = build_engine(migrated_url)
    try:
        async with SqlUnitOfWorkFactory(build_session_factory(engine))() as uow:
            first = await uow.meetings.add(make_meeting("0001"))
            second = await uow.meetings.add(make_meeting("0002"))
            await uow.commit()
        await engine.dispose()
        await _run(migrated_url, _downgrade_to, alembic_config(migrated_url), "0006")
        await upgrade(migrated_url)
        async with SqlUnitOfWorkFactory(build_session_factory(engine))() as uow:
            assert first.id is not None
            assert second.id is not None
            again = [await uow.meetings.get(first.id), await uow.meetings.get(second.id)]
    finally:
        await engine.dispose()
    uids = {m.uid for m in again if m is not None}
    assert len(uids) == 2
    assert all(len(uid) == 36 for uid in uids)
    assert first.uid not in uids  # the old ones went with the downgrade
    assert all(m is not None and m.sequence == 0 for m in again)


async def test_weekly_trueconf_meetings_stored_before_corrections_get_a_check(
    migrated_url: str, make_meeting: Any
) -> None:
    """0010 gives each scheduled weekly TrueConf meeting one correction row,
    due at once (a check of the server's rule); nothing else gets one."""
    weekly = Weekly(frozenset({Weekday.MONDAY}), time(10, 0), "Europe/Berlin")
    once = Once(datetime(2026, 12, 1, 9, 0, tzinfo=UTC), "UTC")
    engine = build_engine(migrated_url)
    try:
        async with SqlUnitOfWorkFactory(build_session_factory(engine))() as uow:
            kept = await uow.meetings.add(make_meeting("0001", schedule=weekly))
            await uow.meetings.add(make_meeting("0002", schedule=weekly, backend="callaba"))
            await uow.meetings.add(make_meeting("0003", schedule=once))
            await uow.commit()
        await engine.dispose()
        await _run(migrated_url, _downgrade_to, alembic_config(migrated_url), "0009")
        before = datetime.now(UTC)
        await upgrade(migrated_url)
        async with build_session_factory(engine)() as session:
            rows = (await session.execute(select(ScheduledActionRow))).scalars().all()
    finally:
        await engine.dispose()
    assert [(r.meeting_id, r.kind, r.status, r.recipient) for r in rows] == [
        (kept.id, "correct", "pending", "")
    ]
    [row] = rows
    assert before <= row.fire_at == row.available_at == row.occurrence_start <= datetime.now(UTC)
