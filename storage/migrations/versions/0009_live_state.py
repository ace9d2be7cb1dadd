"""A meeting's live state: scheduled, running or ended, since when, how many are in.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06

Written by hand to match ``storage.models`` (a test compares the two).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("meetings") as batch:
        batch.add_column(
            sa.Column(
                "live_state", sa.String(length=16), nullable=False, server_default="scheduled"
            )
        )
        batch.add_column(sa.Column("state_since", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("people_in", sa.Integer(), nullable=True))
        batch.create_check_constraint(
            "ck_meetings_live_state", "live_state IN ('scheduled', 'running', 'ended')"
        )


def downgrade() -> None:
    with op.batch_alter_table("meetings") as batch:
        batch.drop_constraint("ck_meetings_live_state", type_="check")
        batch.drop_column("people_in")
        batch.drop_column("state_since")
        batch.drop_column("live_state")
