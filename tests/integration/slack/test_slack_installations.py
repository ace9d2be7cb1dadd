"""Installations in the bridge's own database (SQLite and PostgreSQL), in the
Slack adapter's own tables, tokens encrypted at rest, removed on uninstall,
refused outside the allowlist."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy import MetaData, text
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.slack.installations import EncryptedInstallationStore, fernet_from
from adapters.slack.schema import upgrade_tables
from adapters.slack.tables import metadata
from bot.errors import ConfigError
from tests.support.slack_installs import BOT_TOKEN, installation
from tests.support.tokens import slack_token

pytestmark = pytest.mark.timeout(30)

USER_TOKEN = slack_token("xoxp")


@pytest.fixture
async def engine(engine: AsyncEngine) -> AsyncEngine:
    """The bridge's database with the Slack tables, made as serve makes them."""
    await upgrade_tables(engine)
    return engine


def _installation(team: str = "T0ONE") -> Installation:
    return installation(team, user_token=USER_TOKEN)


def test_our_tables_have_the_sdk_store_layout() -> None:
    """The SDK writes with its own table definitions; ours must have the same
    columns, nullability and index columns (tokens are wider: encrypted)."""
    sdk = MetaData()
    for name, build in (
        ("slack_installations", SQLAlchemyInstallationStore.build_installations_table),
        ("slack_bots", SQLAlchemyInstallationStore.build_bots_table),
    ):
        theirs = build(sdk, name)
        ours = metadata.tables[name]
        assert [c.name for c in ours.columns] == [c.name for c in theirs.columns]
        for column in theirs.columns:
            assert ours.c[column.name].nullable == column.nullable, column.name
            if "token" not in column.name or column.name.endswith("expires_at"):
                assert type(ours.c[column.name].type) is type(column.type), column.name
        assert [[c.name for c in i.columns] for i in ours.indexes] == [
            [c.name for c in i.columns] for i in theirs.indexes
        ]


async def test_tokens_are_encrypted_at_rest_and_read_back(engine: AsyncEngine) -> None:
    store = EncryptedInstallationStore("client-1", engine, Fernet(Fernet.generate_key()))
    await store.async_save(_installation())

    async with engine.connect() as connection:
        rows = (await connection.execute(text("SELECT bot_token FROM slack_bots"))).all()
        stored = (
            await connection.execute(text("SELECT bot_token, user_token FROM slack_installations"))
        ).all()
    assert rows
    assert stored
    raw = " ".join(str(v) for row in [*rows, *stored] for v in row)
    assert "secretsecret" not in raw

    bot = await store.async_find_bot(enterprise_id=None, team_id="T0ONE")
    assert bot is not None
    assert bot.bot_token == BOT_TOKEN
    found = await store.async_find_installation(enterprise_id=None, team_id="T0ONE")
    assert found is not None
    assert found.user_token == USER_TOKEN


async def test_another_key_reads_nothing(engine: AsyncEngine) -> None:
    await EncryptedInstallationStore("client-1", engine, Fernet(Fernet.generate_key())).async_save(
        _installation()
    )
    other = EncryptedInstallationStore("client-1", engine, Fernet(Fernet.generate_key()))
    assert await other.async_find_bot(enterprise_id=None, team_id="T0ONE") is None


async def test_uninstall_removes_the_workspace(engine: AsyncEngine) -> None:
    store = EncryptedInstallationStore("client-1", engine, Fernet(Fernet.generate_key()))
    await store.async_save(_installation("T0ONE"))
    await store.async_save(_installation("T0TWO"))
    await store.async_delete_all(enterprise_id=None, team_id="T0ONE")
    assert await store.async_find_bot(enterprise_id=None, team_id="T0ONE") is None
    assert await store.async_find_installation(enterprise_id=None, team_id="T0ONE") is None
    assert await store.async_find_bot(enterprise_id=None, team_id="T0TWO") is not None


async def test_workspaces_outside_the_allowlist_are_not_kept(engine: AsyncEngine) -> None:
    store = EncryptedInstallationStore(
        "client-1", engine, Fernet(Fernet.generate_key()), allows=lambda team: team == "T0ONE"
    )
    with pytest.raises(PermissionError):
        await store.async_save(_installation("T0EVIL"))
    assert await store.async_find_bot(enterprise_id=None, team_id="T0EVIL") is None


def test_a_bad_key_is_a_clear_configuration_error() -> None:
    with pytest.raises(ConfigError, match="SLACK_ENCRYPTION_KEY"):
        fernet_from("not a key")
