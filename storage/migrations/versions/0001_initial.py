"""Initial schema: meetings, invitees, user links, chat settings, audit log.

Revision ID: 0001
Revises:
Create Date: 2025-11-23

Written by hand to match ``storage.models`` (a test compares the two).
Constraint names are spelled out, following the models' naming convention.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = 200
ID = 100
ZONE = 64


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("backend", sa.String(ID), nullable=False),
        sa.Column("conference_id", sa.String(255), nullable=False),
        sa.Column("chat_key", sa.String(KEY), nullable=False),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("workspace_id", sa.String(ID), nullable=False),
        sa.Column("chat_id", sa.String(ID), nullable=False),
        sa.Column("creator_key", sa.String(KEY), nullable=False),
        sa.Column("creator_platform", sa.String(16), nullable=False),
        sa.Column("creator_workspace_id", sa.String(ID), nullable=False),
        sa.Column("creator_user_id", sa.String(ID), nullable=False),
        sa.Column("creator_name", sa.String(255), nullable=False),
        sa.Column("topic", sa.Text(), nullable=False),
        sa.Column("schedule_kind", sa.String(16), nullable=False),
        sa.Column("start_utc", _utc(), nullable=True),
        sa.Column("weekly_days", sa.String(32), nullable=True),
        sa.Column("weekly_time", sa.String(16), nullable=True),
        sa.Column("zone", sa.String(ZONE), nullable=True),
        sa.Column("duration_seconds", sa.Integer(), nullable=True),
        sa.Column("owner_login", sa.String(255), nullable=False),
        sa.Column("page_url", sa.Text(), nullable=False),
        sa.Column("browser_url", sa.Text(), nullable=False),
        sa.Column("app_deeplink", sa.Text(), nullable=False),
        sa.Column("android_intent", sa.Text(), nullable=False),
        sa.Column("sip", sa.JSON(), nullable=False),
        sa.Column("sip_external", sa.Text(), nullable=False),
        sa.Column("h323", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_meetings"),
        sa.UniqueConstraint("backend", "conference_id", name="uq_meetings_backend_conference_id"),
        sa.CheckConstraint(
            "schedule_kind IN ('instant', 'once', 'weekly')", name="ck_meetings_schedule_kind"
        ),
        sa.CheckConstraint("status IN ('scheduled', 'cancelled')", name="ck_meetings_status"),
    )
    op.create_index("ix_meetings_chat_key_status", "meetings", ["chat_key", "status"])

    op.create_table(
        "meeting_invitees",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("handle", sa.String(255), nullable=False),
        sa.Column("login", sa.String(255), nullable=False),
        sa.Column("user_id", sa.String(ID), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_meeting_invitees"),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name="fk_meeting_invitees_meeting_id_meetings",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint(
            "meeting_id", "position", name="uq_meeting_invitees_meeting_id_position"
        ),
    )

    op.create_table(
        "user_links",
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("workspace_id", sa.String(ID), nullable=False),
        sa.Column("user_id", sa.String(ID), nullable=False),
        sa.Column("login", sa.String(255), nullable=False),
        sa.Column("linked_by", sa.String(KEY), nullable=False),
        sa.Column("linked_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("platform", "workspace_id", "user_id", name="pk_user_links"),
    )
    op.create_index("ix_user_links_login", "user_links", ["login"])

    op.create_table(
        "chat_settings",
        sa.Column("chat_key", sa.String(KEY), nullable=False),
        sa.Column("zone", sa.String(ZONE), nullable=True),
        sa.Column("lang", sa.String(8), nullable=True),
        sa.Column("backend", sa.String(ID), nullable=True),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("chat_key", name="pk_chat_settings"),
    )

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", _utc(), nullable=False),
        sa.Column("chat_key", sa.String(KEY), nullable=False),
        sa.Column("user_key", sa.String(KEY), nullable=False),
        sa.Column("command", sa.String(64), nullable=False),
        sa.Column("outcome", sa.String(64), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_chat_key_at", "audit_log", ["chat_key", "at"])


def downgrade() -> None:
    op.drop_table("audit_log")
    op.drop_table("chat_settings")
    op.drop_index("ix_user_links_login", table_name="user_links")
    op.drop_table("user_links")
    op.drop_table("meeting_invitees")
    op.drop_index("ix_meetings_chat_key_status", table_name="meetings")
    op.drop_table("meetings")
