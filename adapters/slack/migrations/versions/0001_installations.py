"""Slack installations and their bots (multi-workspace mode), owned by the
Slack adapter.

Revision ID: slack_0001
Revises:
Create Date: 2026-12-06

slack-sdk's ``SQLAlchemyInstallationStore`` layout, with token columns as
``Text`` because they hold encrypted tokens. Before the adapter owned them,
``storage``'s migration 0003 created these tables with this very layout: where
they exist they are adopted as they are (their columns checked, their rows
kept), and created only where absent. Written by hand to match
``adapters.slack.tables`` (a test compares the two).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "slack_0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _bot_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("id", sa.Integer(), nullable=False, autoincrement=True),
        sa.Column("client_id", sa.String(32), nullable=False),
        sa.Column("app_id", sa.String(32), nullable=False),
        sa.Column("enterprise_id", sa.String(32), nullable=True),
        sa.Column("enterprise_name", sa.String(200), nullable=True),
    ]


def _token_columns() -> list[sa.Column[object]]:
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


def _installations() -> list[sa.Column[object]]:
    return [
        *_bot_columns(),
        sa.Column("enterprise_url", sa.String(200), nullable=True),
        *_token_columns(),
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
        sa.Column("installed_at", sa.DateTime(), nullable=False, server_default=sa.func.now()),
    ]


def _bots() -> list[sa.Column[object]]:
    return [
        *_bot_columns(),
        *_token_columns(),
        sa.Column("is_enterprise_install", sa.Boolean(), nullable=False),
        sa.Column("installed_at", sa.DateTime(), nullable=False, server_default=sa.func.now()),
    ]


TABLES = {
    "slack_installations": (
        _installations,
        ["client_id", "enterprise_id", "team_id", "user_id", "installed_at"],
    ),
    "slack_bots": (_bots, ["client_id", "enterprise_id", "team_id", "installed_at"]),
}


def _adopt(inspector: sa.Inspector, name: str, columns: list[sa.Column[object]]) -> None:
    """A table ``storage``'s 0003 made: kept with its rows if its columns are ours."""
    found = [c["name"] for c in inspector.get_columns(name)]
    wanted = [c.name for c in columns]
    if sorted(found) != sorted(wanted):
        raise RuntimeError(
            f"table {name} exists but is not the Slack installation store's layout: "
            f"missing {sorted(set(wanted) - set(found))}, "
            f"unexpected {sorted(set(found) - set(wanted))}"
        )


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    present = set(inspector.get_table_names())
    for name, (columns, indexed) in TABLES.items():
        if name in present:
            _adopt(inspector, name, columns())
            continue
        op.create_table(name, *columns(), sa.PrimaryKeyConstraint("id", name=f"pk_{name}"))
        op.create_index(f"{name}_idx", name, indexed)


def downgrade() -> None:
    for name in reversed(TABLES):
        op.drop_index(f"{name}_idx", table_name=name)
        op.drop_table(name)
