"""Plain-line hints: a personal chat told that commands start with /meet is
told once until a command is sent there, by whichever replica, across restarts.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07

Written by hand to match ``storage.models`` (a test compares the two).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = 200


def upgrade() -> None:
    op.create_table(
        "plain_line_hints",
        sa.Column("chat_key", sa.String(KEY), nullable=False),
        sa.Column("hinted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("chat_key", name="pk_plain_line_hints"),
    )


def downgrade() -> None:
    op.drop_table("plain_line_hints")
