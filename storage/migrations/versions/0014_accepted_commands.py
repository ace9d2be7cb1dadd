"""Accepted commands: a messenger's command acknowledged by one process and
worked on by another (``meetbridge work``), durable across either's crash.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06

Written by hand to match ``storage.models`` (a test compares the two).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = 200
ID = 100


def upgrade() -> None:
    op.create_table(
        "accepted_commands",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source", sa.String(ID), nullable=False),
        sa.Column("delivery_key", sa.String(KEY), nullable=False),
        sa.Column("order_key", sa.String(KEY), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("available_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_owner", sa.String(ID), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('accepted', 'working', 'done', 'given_up')",
            name="ck_accepted_commands_status",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_accepted_commands"),
        sa.UniqueConstraint(
            "source", "delivery_key", name="uq_accepted_commands_source_delivery_key"
        ),
    )
    op.create_index(
        "ix_accepted_commands_claimable", "accepted_commands", ["status", "available_at"]
    )
    op.create_index("ix_accepted_commands_order", "accepted_commands", ["order_key", "id"])


def downgrade() -> None:
    op.drop_index("ix_accepted_commands_order", table_name="accepted_commands")
    op.drop_index("ix_accepted_commands_claimable", table_name="accepted_commands")
    op.drop_table("accepted_commands")
