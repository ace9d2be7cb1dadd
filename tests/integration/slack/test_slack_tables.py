"""The Slack adapter's tables, migrated by the adapter on the bridge's pool
(SQLite and PostgreSQL): made on a fresh database, adopted with their rows
from databases where storage's migration 0003 made them, in step with their
definitions, and left alone by storage's chain."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from cryptography.fernet import Fernet
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.slack.installations import EncryptedInstallationStore
from adapters.slack.schema import (
    MIGRATIONS_DIR,
    VERSION_TABLE,
    head_revision,
    migration_config,
    tables_revision,
    upgrade_tables,
)
from adapters.slack.tables import metadata
from meetbridge.compose import migrate_alone
from meetbridge.config import load_config
from storage.db import build_engine
from storage.migrate import alembic_config, upgrade
from storage.models import Base
from tests.support.slack_installs import BOT_TOKEN, installation
from tests.support.tokens import slack_token

pytestmark = pytest.mark.timeout(60)

REPO = Path(__file__).resolve().parents[3]
SLACK_TABLES = {"slack_installations", "slack_bots"}


def _not_a_version_table(
    _obj: object, name: str | None, type_: str, _reflected: bool, _compare_to: object
) -> bool:
    return not (type_ == "table" and name in {"alembic_version", VERSION_TABLE})


def _diff(connection: Connection) -> list[Any]:
    """The database against every table the bridge defines: storage's and Slack's."""
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "include_object": _not_a_version_table}
    )
    every = sa.MetaData()
    for table in [*Base.metadata.tables.values(), *metadata.tables.values()]:
        table.to_metadata(every)
    return list(compare_metadata(context, every))


def _tables(connection: Connection) -> set[str]:
    return set(sa.inspect(connection).get_table_names())


async def _run(engine: AsyncEngine, fn: Any, *args: Any) -> Any:
    async with engine.begin() as connection:
        return await connection.run_sync(fn, *args)


def _as_storage_0003_made_them(connection: Connection) -> None:
    """What storage's migration 0003 created before the adapter owned these
    tables (its text at the time, kept here as the databases have it)."""
    old = sa.MetaData()

    def head() -> list[sa.Column[Any]]:
        return [
            sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
            sa.Column("client_id", sa.String(32), nullable=False),
            sa.Column("app_id", sa.String(32), nullable=False),
            sa.Column("enterprise_id", sa.String(32), nullable=True),
            sa.Column("enterprise_name", sa.String(200), nullable=True),
        ]

    def team_and_bot() -> list[sa.Column[Any]]:
        return [
            sa.Column("team_id", sa.String(32), nullable=True),
            sa.Column("team_name", sa.String(200), nullable=True),
            sa.Column("bot_token", sa.Text(), nullable=True),
            sa.Column("bot_id", sa.String(32), nullable=True),
            sa.Column("bot_user_id", sa.String(32), nullable=True),
            sa.Column("bot_scopes", sa.String(1000), nullable=True),
            sa.Column("bot_refresh_token", sa.Text(), nullable=True),
            sa.Column("bot_token_expires_at", sa.DateTime(), nullable=True),
        ]

    def installed_at() -> sa.Column[Any]:
        return sa.Column(
            "installed_at", sa.DateTime(), nullable=False, server_default=sa.func.now()
        )

    sa.Table(
        "slack_installations",
        old,
        *head(),
        sa.Column("enterprise_url", sa.String(200), nullable=True),
        *team_and_bot(),
        sa.Column("user_id", sa.String(32), nullable=False),
        sa.Column("user_token", sa.Text(), nullable=True),
        sa.Column("user_scopes", sa.String(1000), nullable=True),
        sa.Column("user_refresh_token", sa.Text(), nullable=True),
        sa.Column("user_token_expires_at", sa.DateTime(), nullable=True),
        sa.Column("incoming_webhook_url", sa.String(200), nullable=True),
        sa.Column("incoming_webhook_channel", sa.String(200), nullable=True),
        sa.Column("incoming_webhook_channel_id", sa.String(200), nullable=True),
        sa.Column("incoming_webhook_configuration_url", sa.String(200), nullable=True),
        sa.Column("is_enterprise_install", sa.Boolean(), nullable=False),
        sa.Column("token_type", sa.String(32), nullable=True),
        installed_at(),
        sa.Index(
            "slack_installations_idx",
            "client_id",
            "enterprise_id",
            "team_id",
            "user_id",
            "installed_at",
        ),
    )
    sa.Table(
        "slack_bots",
        old,
        *head(),
        *team_and_bot(),
        sa.Column("is_enterprise_install", sa.Boolean(), nullable=False),
        installed_at(),
        sa.Index("slack_bots_idx", "client_id", "enterprise_id", "team_id", "installed_at"),
    )
    old.create_all(connection)


async def test_a_fresh_database_gets_the_tables_as_defined(engine: AsyncEngine) -> None:
    assert SLACK_TABLES.isdisjoint(await _run(engine, _tables))  # storage makes none
    assert await tables_revision(engine) is None

    await upgrade_tables(engine)
    assert await tables_revision(engine) == head_revision() == "slack_0001"
    assert await _run(engine, _diff) == []

    store = EncryptedInstallationStore("client-1", engine, Fernet(Fernet.generate_key()))
    await store.async_save(installation())
    await upgrade_tables(engine)  # again, as every start does: nothing to do, nothing lost
    bot = await store.async_find_bot(enterprise_id=None, team_id="T0ONE")
    assert bot is not None
    assert bot.bot_token == BOT_TOKEN


@pytest.mark.parametrize("made_at", ["0003", "head"])
async def test_an_installation_stored_under_storage_0003_is_read_after_the_move(
    database_url: str, made_at: str
) -> None:
    """A database storage's 0003 gave the tables, at 0003 or later, with an
    installation in them: upgraded, the adapter adopts the tables and the
    installation reads back, token and all."""
    await upgrade(database_url, made_at)
    engine = build_engine(database_url)
    try:
        await _run(engine, _as_storage_0003_made_them)
        key = Fernet(Fernet.generate_key())
        # The store of the time: the same SDK store over the same tables.
        await EncryptedInstallationStore("client-1", engine, key).async_save(installation())

        await upgrade(database_url)
        await upgrade_tables(engine)
        store = EncryptedInstallationStore("client-1", engine, key)

        bot = await store.async_find_bot(enterprise_id=None, team_id="T0ONE")
        found = await store.async_find_installation(enterprise_id=None, team_id="T0ONE")
        assert bot is not None
        assert bot.bot_token == BOT_TOKEN
        assert found is not None
        assert found.bot_token == BOT_TOKEN
        assert await tables_revision(engine) == head_revision()
        assert await _run(engine, _diff) == []
    finally:
        await engine.dispose()


async def test_a_foreign_table_under_the_name_is_refused_not_adopted(
    engine: AsyncEngine,
) -> None:
    async with engine.begin() as connection:
        await connection.execute(sa.text("CREATE TABLE slack_bots (id INTEGER, note TEXT)"))
    with pytest.raises(RuntimeError, match=r"slack_bots exists but is not .*missing \['app_id'"):
        await upgrade_tables(engine)
    assert await tables_revision(engine) is None


@pytest.mark.parametrize(
    ("slack", "made"),
    [
        (
            {
                "slack_client_id": "1.2",
                "slack_client_secret": "client-secret",
                "slack_state_secret": "state-secret",
                "slack_encryption_key": Fernet.generate_key().decode(),
                "slack_workspace_allowlist": "T0ONE",
            },
            SLACK_TABLES,
        ),
        ({"slack_bot_token": slack_token()}, set()),  # one workspace: no store, no tables
    ],
    ids=["multi-workspace", "one-workspace"],
)
async def test_db_upgrade_brings_the_slack_tables_where_the_store_is_used(
    database_url: str, slack: dict[str, str], made: set[str]
) -> None:
    """`meetbridge db upgrade` (and serve's start) asks each enabled edge for
    its tables, after storage's chain."""
    config = load_config(
        env_file=None,
        database_url=database_url,
        trueconf_server_url="sandbox",
        trueconf_owner="admin",
        slack_signing_secret="signing-secret",
        values=slack,
    )
    assert [edge.name for edge in config.messengers()] == ["slack"]
    await migrate_alone(config)
    engine = build_engine(database_url)
    try:
        tables = await _run(engine, _tables)
        assert set(Base.metadata.tables) <= tables
        assert tables & SLACK_TABLES == made
        assert await tables_revision(engine) == (head_revision() if made else None)
    finally:
        await engine.dispose()


def _downgrade(connection: Connection, config: Any, revision: str) -> None:
    config.attributes["connection"] = connection
    command.downgrade(config, revision)


async def test_each_chain_keeps_to_its_own_tables(migrated_url: str) -> None:
    """Storage's downgrade leaves the Slack tables and their rows; the Slack
    chain's downgrade removes them and nothing of storage's."""
    engine = build_engine(migrated_url)
    try:
        await upgrade_tables(engine)
        store = EncryptedInstallationStore("client-1", engine, Fernet(Fernet.generate_key()))
        await store.async_save(installation())

        await _run(engine, _downgrade, alembic_config(migrated_url), "base")
        assert await _run(engine, _tables) == {"alembic_version", VERSION_TABLE, *SLACK_TABLES}
        assert await store.async_find_bot(enterprise_id=None, team_id="T0ONE") is not None

        await upgrade(migrated_url)
        await _run(engine, lambda sync: command.downgrade(migration_config(sync), "base"))
        assert SLACK_TABLES.isdisjoint(await _run(engine, _tables))
        assert set(Base.metadata.tables) <= await _run(engine, _tables)
    finally:
        await engine.dispose()


def test_package_data_ships_the_slack_migrations() -> None:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    patterns: list[str] = pyproject["tool"]["setuptools"]["package-data"]["adapters"]
    files = [
        p.relative_to(REPO / "adapters").as_posix()
        for p in MIGRATIONS_DIR.rglob("*.py")
        if "__pycache__" not in p.parts
    ]
    assert "slack/migrations/env.py" in files
    assert "slack/migrations/versions/0001_installations.py" in files
    assert [f for f in files if not any(fnmatch.fnmatch(f, pat) for pat in patterns)] == []
