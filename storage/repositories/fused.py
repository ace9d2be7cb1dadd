"""A new meeting in one statement on PostgreSQL: the meeting, its invitees,
its first ledger rows, the dispatchers' wake-up and the command's audit line.

``INSERT … ON CONFLICT DO NOTHING RETURNING id`` as a data-modifying CTE, and
each other table's rows inserted from it (``SELECT m.id, :a, :b FROM m``):
when the meeting is a duplicate ``m`` is empty and nothing else is written
either. One statement is atomic by itself, so it needs no
transaction around it: one round trip instead of BEGIN, five statements and
COMMIT. Foreign keys to the new meeting are checked at the statement's end,
when its row exists.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import CTE, Select, Table, func, literal, select, union_all
from sqlalchemy.dialects import postgresql

from storage.models import AuditRow, InviteeRow, MeetingRow, ScheduledActionRow
from storage.repositories.ledger import NOTIFY_CHANNEL


def _table(model: type[Any]) -> Table:
    table: Table = model.__table__
    return table


def _from_meeting(
    meeting: CTE, model: type[Any], rows: Sequence[Mapping[str, Any]], *, with_id: bool
) -> postgresql.Insert:
    """``INSERT INTO model SELECT [m.id,] :a, :b … FROM m UNION ALL …``, a row
    for each of ``rows`` when ``m`` has one. Bound parameters, not a VALUES
    list: SQLAlchemy caches the compiled statement for each shape."""
    table = _table(model)
    names = [name for name in rows[0] if name != "meeting_id"]
    chosen = [
        select(
            *([meeting.c.id] if with_id else []),
            *(literal(row[n], table.c[n].type).label(n) for n in names),
        ).select_from(meeting)
        for row in rows
    ]
    targets = (["meeting_id"] if with_id else []) + names
    both = chosen[0] if len(chosen) == 1 else union_all(*chosen)
    return postgresql.insert(table).from_select(targets, both)


def new_meeting_statement(
    meeting: Mapping[str, Any],
    invitees: Sequence[Mapping[str, Any]],
    actions: Sequence[Mapping[str, Any]],
    audit: Mapping[str, Any] | None,
) -> Select[Any]:
    """The statement; it returns the new meeting's id, or no row for a duplicate."""
    new = (
        postgresql.insert(MeetingRow)
        .values(dict(meeting))
        .on_conflict_do_nothing(index_elements=["backend", "conference_id"])
        .returning(MeetingRow.id)
        .cte("new_meeting")
    )
    statement = select(new.c.id)
    if invitees:
        statement = statement.add_cte(
            _from_meeting(new, InviteeRow, invitees, with_id=True).cte("new_invitees")
        )
    if actions:
        rows = _from_meeting(new, ScheduledActionRow, actions, with_id=True)
        statement = statement.add_cte(rows.on_conflict_do_nothing().cte("new_actions"))
        first = min(action["available_at"] for action in actions)
        # Delivered on commit (the statement's end): a dispatcher never wakes for
        # a row it cannot see yet.
        statement = statement.add_columns(func.pg_notify(NOTIFY_CHANNEL, first.isoformat()))
    if audit is not None:
        statement = statement.add_cte(
            _from_meeting(new, AuditRow, [audit], with_id=False).cte("new_audit")
        )
    return statement
