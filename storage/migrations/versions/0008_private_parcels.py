"""Private messages waiting for their reader: Telegram's deep-link hand-over.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06

Written by hand to match ``storage.models`` (a test compares the two).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "private_parcels",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("recipient", sa.String(length=255), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_private_parcels"),
    )
    op.create_index("ix_private_parcels_expires_at", "private_parcels", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_private_parcels_expires_at", table_name="private_parcels")
    op.drop_table("private_parcels")
