"""User links: a status (an admin approves a person's own link), the person's
@handle so typed mentions find the link, and a display name for replies.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23

Written by hand to match ``storage.models`` (a test compares the two).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = 100


def upgrade() -> None:
    # Batch mode: SQLite cannot add a check constraint to an existing table.
    with op.batch_alter_table("user_links") as batch:
        batch.add_column(
            sa.Column("status", sa.String(16), nullable=False, server_default="active")
        )
        batch.add_column(sa.Column("handle", sa.String(ID), nullable=True))
        batch.add_column(sa.Column("display_name", sa.String(255), nullable=True))
        batch.create_check_constraint("ck_user_links_status", "status IN ('active', 'pending')")
    op.create_index(
        "ix_user_links_platform_workspace_id_handle",
        "user_links",
        ["platform", "workspace_id", "handle"],
    )


def downgrade() -> None:
    op.drop_index("ix_user_links_platform_workspace_id_handle", table_name="user_links")
    with op.batch_alter_table("user_links") as batch:
        batch.drop_constraint("ck_user_links_status", type_="check")
        batch.drop_column("display_name")
        batch.drop_column("handle")
        batch.drop_column("status")
