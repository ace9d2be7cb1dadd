"""Meetings keep their calendar event's UID (a UUID) and SEQUENCE.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06

Written by hand to match ``storage.models`` (a test compares the two).
Meetings stored before this revision get a fresh UUID each.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("meetings") as batch:
        batch.add_column(sa.Column("uid", sa.String(36), nullable=False, server_default=""))
        batch.add_column(sa.Column("sequence", sa.Integer(), nullable=False, server_default="0"))
    meetings = sa.table("meetings", sa.column("id", sa.Integer), sa.column("uid", sa.String))
    connection = op.get_bind()
    ids = connection.execute(sa.select(meetings.c.id).where(meetings.c.uid == "")).scalars()
    for meeting_id in list(ids):
        connection.execute(
            meetings.update().where(meetings.c.id == meeting_id).values(uid=str(uuid.uuid4()))
        )


def downgrade() -> None:
    with op.batch_alter_table("meetings") as batch:
        batch.drop_column("sequence")
        batch.drop_column("uid")
