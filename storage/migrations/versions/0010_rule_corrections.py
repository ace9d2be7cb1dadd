"""The ledger also holds corrections of a weekly rule a server keeps in its
own zone (kind ``correct``).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06

Written by hand to match ``storage.models`` (a test compares the two).
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "ck_scheduled_actions_kind"
BEFORE = "kind IN ('remind', 'activate', 'deactivate')"
AFTER = "kind IN ('remind', 'activate', 'deactivate', 'correct')"


def _kinds(condition: str) -> None:
    # SQLite changes a constraint by copying the table (batch mode).
    with op.batch_alter_table("scheduled_actions") as batch:
        batch.drop_constraint(NAME, type_="check")
        batch.create_check_constraint(NAME, condition)


def upgrade() -> None:
    _kinds(AFTER)


def downgrade() -> None:
    op.execute("DELETE FROM scheduled_actions WHERE kind = 'correct'")
    _kinds(BEFORE)
