"""The scheduled-actions ledger (reminders, room activation), reminder offsets,
processed messenger deliveries.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23

Written by hand to match ``storage.models`` (a test compares the two).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = 200
ID = 100
CLAIMABLE = "status IN ('pending', 'sending')"


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("meetings") as batch:
        batch.add_column(
            sa.Column("reminder_offsets", sa.JSON(), nullable=False, server_default="[]")
        )
    with op.batch_alter_table("chat_settings") as batch:
        batch.add_column(sa.Column("reminder_offsets", sa.JSON(), nullable=True))

    op.create_table(
        "scheduled_actions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("occurrence_start", _utc(), nullable=False),
        sa.Column("offset_seconds", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(KEY), nullable=False),
        sa.Column("fire_at", _utc(), nullable=False),
        sa.Column("available_at", _utc(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("lease_owner", sa.String(ID), nullable=True),
        sa.Column("lease_until", _utc(), nullable=True),
        sa.Column("sent_at", _utc(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('remind', 'activate', 'deactivate')", name="ck_scheduled_actions_kind"
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'sending', 'sent', 'late', 'expired', 'failed')",
            name="ck_scheduled_actions_status",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name="fk_scheduled_actions_meeting_id_meetings",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_scheduled_actions"),
        sa.UniqueConstraint(
            "meeting_id",
            "kind",
            "occurrence_start",
            "offset_seconds",
            "recipient",
            name="uq_scheduled_actions_key",
        ),
    )
    op.create_index("ix_scheduled_actions_meeting_id", "scheduled_actions", ["meeting_id"])
    op.create_index(
        "ix_scheduled_actions_claimable",
        "scheduled_actions",
        ["available_at"],
        postgresql_where=sa.text(CLAIMABLE),
        sqlite_where=sa.text(CLAIMABLE),
    )

    op.create_table(
        "processed_deliveries",
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("delivery_id", sa.String(255), nullable=False),
        sa.Column("received_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("source", "delivery_id", name="pk_processed_deliveries"),
    )
    op.create_index("ix_processed_deliveries_received_at", "processed_deliveries", ["received_at"])


def downgrade() -> None:
    op.drop_index("ix_processed_deliveries_received_at", table_name="processed_deliveries")
    op.drop_table("processed_deliveries")
    op.drop_index("ix_scheduled_actions_claimable", table_name="scheduled_actions")
    op.drop_index("ix_scheduled_actions_meeting_id", table_name="scheduled_actions")
    op.drop_table("scheduled_actions")
    with op.batch_alter_table("chat_settings") as batch:
        batch.drop_column("reminder_offsets")
    with op.batch_alter_table("meetings") as batch:
        batch.drop_column("reminder_offsets")
