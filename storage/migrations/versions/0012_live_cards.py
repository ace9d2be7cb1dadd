"""Live cards: where each watched meeting's card is and what it shows, and the
ledger's ``live`` rows (a meeting watched while it runs).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06

Written by hand to match ``storage.models`` (a test compares the two).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = 200
ID = 100
OLD_KINDS = "kind IN ('remind', 'activate', 'deactivate', 'correct')"
NEW_KINDS = "kind IN ('remind', 'activate', 'deactivate', 'correct', 'live')"


def _kinds(condition: str) -> None:
    with op.batch_alter_table("scheduled_actions") as batch:
        batch.drop_constraint("ck_scheduled_actions_kind", type_="check")
        batch.create_check_constraint("ck_scheduled_actions_kind", sa.text(condition))


def upgrade() -> None:
    op.create_table(
        "live_cards",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("chat_key", sa.String(KEY), server_default="", nullable=False),
        sa.Column("message_id", sa.String(ID), server_default="", nullable=False),
        sa.Column("shown", sa.JSON(), nullable=True),
        sa.Column("phase", sa.String(16), server_default="scheduled", nullable=False),
        sa.Column("running_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("empty_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("idle_noted", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("seen", sa.JSON(), nullable=False),
        sa.Column("polled_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "phase IN ('scheduled', 'running', 'ended')", name="ck_live_cards_phase"
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name="fk_live_cards_meeting_id_meetings",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("meeting_id", name="pk_live_cards"),
    )
    _kinds(NEW_KINDS)


def downgrade() -> None:
    op.execute("DELETE FROM scheduled_actions WHERE kind = 'live'")
    _kinds(OLD_KINDS)
    op.drop_table("live_cards")
