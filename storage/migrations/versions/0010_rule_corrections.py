"""The ledger also holds corrections of a weekly rule a server keeps in its
own zone (kind ``correct``). Weekly TrueConf meetings stored before this
revision were planned none: each gets one row, due at once, which compares
the server's rule with the meeting's (correcting it if it drifted already)
and plans the next.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06

Written by hand to match ``storage.models`` (a test compares the two).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
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


def _check_each_weekly_rule() -> None:
    connection = op.get_bind()
    meetings = sa.table(
        "meetings",
        sa.column("id", sa.Integer),
        sa.column("backend", sa.String),
        sa.column("schedule_kind", sa.String),
        sa.column("status", sa.String),
    )
    ids = connection.execute(
        sa.select(meetings.c.id).where(
            meetings.c.backend == "trueconf",
            meetings.c.schedule_kind == "weekly",
            meetings.c.status == "scheduled",
        )
    ).scalars()
    now = datetime.now(UTC)
    # As storage.columns.UtcDateTime stores it: naive UTC in SQLite.
    at = now.replace(tzinfo=None) if connection.dialect.name == "sqlite" else now
    rows = [
        {
            "meeting_id": meeting_id,
            "kind": "correct",
            "occurrence_start": at,
            "offset_seconds": 0,
            "recipient": "",
            "fire_at": at,
            "available_at": at,
            "status": "pending",
            "attempts": 0,
            "created_at": at,
        }
        for meeting_id in ids
    ]
    if rows:
        actions = sa.table(
            "scheduled_actions",
            *(sa.column(name) for name in rows[0]),
        )
        connection.execute(actions.insert(), rows)


def upgrade() -> None:
    _kinds(AFTER)
    _check_each_weekly_rule()


def downgrade() -> None:
    op.execute("DELETE FROM scheduled_actions WHERE kind = 'correct'")
    _kinds(BEFORE)
