"""Dispatcher heartbeats: which processes were alive when, so a row that came
due while its holder had died is told from one that came due while nothing ran.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06

Written by hand to match ``storage.models`` (a test compares the two).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = 100


def upgrade() -> None:
    op.create_table(
        "dispatchers",
        sa.Column("owner", sa.String(ID), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("alive_until", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("owner", name="pk_dispatchers"),
    )
    op.create_index("ix_dispatchers_alive_until", "dispatchers", ["alive_until"])


def downgrade() -> None:
    op.drop_index("ix_dispatchers_alive_until", table_name="dispatchers")
    op.drop_table("dispatchers")
