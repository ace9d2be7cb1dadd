"""Slack installations and their bots: now the Slack adapter's own.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23

This revision created ``slack_installations`` and ``slack_bots`` in every
database. Those tables now belong to the Slack adapter, which defines and
migrates them itself (``adapters/slack/tables.py``, ``adapters/slack/schema.py``,
a chain with its own version table). The revision stays, so every database's
history reads as before, and does nothing: databases that ran it keep the
tables it made, which the adapter's first revision adopts with their rows; on
others the adapter creates them when Slack's multi-workspace mode starts.
Downgrading past it leaves them to their owner.
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Nothing: the Slack adapter creates its tables (see the docstring)."""


def downgrade() -> None:
    """Nothing: the tables this revision once made are the Slack adapter's."""
