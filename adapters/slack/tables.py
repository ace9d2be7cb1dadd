"""The Slack adapter's own tables: the installations of the app (multi-workspace
mode) and their bots.

The layout is slack-sdk's ``SQLAlchemyInstallationStore`` tables, so its async
store reads and writes them as they are (a test compares the two); the token
columns are ``Text``, as they hold Fernet-encrypted tokens, longer than the
plain ones the SDK sized them for. They belong to this adapter, not to
``storage``: their own ``MetaData`` here, their own migrations in
``adapters/slack/migrations`` (see ``adapters.slack.schema``).
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    func,
)

INSTALLATIONS = "slack_installations"
BOTS = "slack_bots"

metadata = MetaData()


def _bot_columns() -> list[Column[object]]:
    """The columns an installation and a bot both have, in the SDK's order."""
    return [
        Column("id", Integer, autoincrement=True),
        Column("client_id", String(32), nullable=False),
        Column("app_id", String(32), nullable=False),
        Column("enterprise_id", String(32)),
        Column("enterprise_name", String(200)),
    ]


def _bot_token_columns() -> list[Column[object]]:
    return [
        Column("team_id", String(32)),
        Column("team_name", String(200)),
        Column("bot_token", Text),
        Column("bot_id", String(32)),
        Column("bot_user_id", String(32)),
        Column("bot_scopes", String(1000)),
        Column("bot_refresh_token", Text),
        Column("bot_token_expires_at", DateTime),
    ]


installations = Table(
    INSTALLATIONS,
    metadata,
    *_bot_columns(),
    Column("enterprise_url", String(200)),
    *_bot_token_columns(),
    Column("user_id", String(32), nullable=False),
    Column("user_token", Text),
    Column("user_scopes", String(1000)),
    Column("user_refresh_token", Text),
    Column("user_token_expires_at", DateTime),
    Column("incoming_webhook_url", String(200)),
    Column("incoming_webhook_channel", String(200)),
    Column("incoming_webhook_channel_id", String(200)),
    Column("incoming_webhook_configuration_url", String(200)),
    Column("is_enterprise_install", Boolean, nullable=False, default=False),
    Column("token_type", String(32)),
    Column("installed_at", DateTime, nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("id", name=f"pk_{INSTALLATIONS}"),
    Index(
        f"{INSTALLATIONS}_idx", "client_id", "enterprise_id", "team_id", "user_id", "installed_at"
    ),
)

bots = Table(
    BOTS,
    metadata,
    *_bot_columns(),
    *_bot_token_columns(),
    Column("is_enterprise_install", Boolean, nullable=False, default=False),
    Column("installed_at", DateTime, nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("id", name=f"pk_{BOTS}"),
    Index(f"{BOTS}_idx", "client_id", "enterprise_id", "team_id", "installed_at"),
)
