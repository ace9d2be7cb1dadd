"""Meetings keep the view-only link (Callaba's ``/conferences-view-mode/<id>``).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23

Written by hand to match ``storage.models`` (a test compares the two).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("meetings") as batch:
        batch.add_column(sa.Column("view_url", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("meetings") as batch:
        batch.drop_column("view_url")
