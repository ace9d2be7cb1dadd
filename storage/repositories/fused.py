"""A new meeting in one statement on PostgreSQL: the meeting, its invitees,
its first ledger rows, the dispatchers' wake-up, the command's audit line and
a watched meeting's live record.

``INSERT … ON CONFLICT DO NOTHING RETURNING id`` as a data-modifying CTE, and
each other table's rows inserted from it (``SELECT m.id, :a, :b FROM m``):
when the meeting is a duplicate ``m`` is empty and nothing else is written
either. One statement is atomic by itself, so it needs no transaction around
it: one round trip instead of BEGIN, five statements and COMMIT. Foreign keys
to the new meeting are checked at the statement's end, when its row exists.

The statement is built once per shape (how many invitees and ledger rows,
whether an audit line) from bound parameters, so SQLAlchemy neither builds
nor compiles it again for the next meeting of that shape: building the
construct cost more CPU than the round trips it saves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import CTE, Select, String, Table, bindparam, func, select, union_all
from sqlalchemy.dialects import postgresql

from storage.models import AuditRow, InviteeRow, LiveCardRow, MeetingRow, ScheduledActionRow
from storage.repositories.ledger import NOTIFY_CHANNEL


def _table(model: type[Any]) -> Table:
    table: Table = model.__table__
    return table


MEETINGS, INVITEES, ACTIONS, AUDIT, LIVE = (
    _table(m) for m in (MeetingRow, InviteeRow, ScheduledActionRow, AuditRow, LiveCardRow)
)


def _from_meeting(
    meeting: CTE, table: Table, prefix: str, count: int, names: Sequence[str], *, with_id: bool
) -> postgresql.Insert:
    """``INSERT INTO table SELECT [m.id,] :p0_a, :p0_b … FROM m UNION ALL …``:
    ``count`` rows of parameters ``{prefix}{n}_{name}``, when ``m`` has a row."""
    chosen = [
        select(
            *([meeting.c.id] if with_id else []),
            *(bindparam(f"{prefix}{n}_{name}", type_=table.c[name].type) for name in names),
        ).select_from(meeting)
        for n in range(count)
    ]
    targets = (["meeting_id"] if with_id else []) + list(names)
    rows = chosen[0] if count == 1 else union_all(*chosen)
    return postgresql.insert(table).from_select(targets, rows)


def _audit_from_meeting(meeting: CTE, names: Sequence[str]) -> postgresql.Insert:
    """The command's audit line, ``bot.ports.numbered``: its detail after the
    new meeting's number, ``#<id> <detail>``, when ``m`` has a row."""
    columns = [
        # concat_ws skips the NULL an empty detail becomes: "#12", as numbered writes it.
        func.concat_ws(
            " ",
            func.concat("#", meeting.c.id),
            func.nullif(bindparam("u0_detail", type_=AUDIT.c.detail.type), ""),
        )
        if name == "detail"
        else bindparam(f"u0_{name}", type_=AUDIT.c[name].type)
        for name in names
    ]
    return postgresql.insert(AUDIT).from_select(list(names), select(*columns).select_from(meeting))


@lru_cache(maxsize=256)
def _statement(
    meeting_names: tuple[str, ...],
    *,
    invitees: int,
    invitee_names: tuple[str, ...],
    actions: int,
    action_names: tuple[str, ...],
    audit_names: tuple[str, ...] | None,
    live_names: tuple[str, ...] | None,
) -> Select[Any]:
    new = (
        postgresql.insert(MEETINGS)
        .values(
            {name: bindparam(f"m_{name}", type_=MEETINGS.c[name].type) for name in meeting_names}
        )
        .on_conflict_do_nothing(index_elements=["backend", "conference_id"])
        .returning(MEETINGS.c.id)
        .cte("new_meeting")
    )
    statement = select(new.c.id)
    if invitees:
        rows = _from_meeting(new, INVITEES, "i", invitees, invitee_names, with_id=True)
        statement = statement.add_cte(rows.cte("new_invitees"))
    if actions:
        rows = _from_meeting(new, ACTIONS, "a", actions, action_names, with_id=True)
        statement = statement.add_cte(rows.on_conflict_do_nothing().cte("new_actions"))
        # Delivered on commit (the statement's end): a dispatcher never wakes for
        # a row it cannot see yet.
        payload = bindparam("notify_at", type_=String)
        statement = statement.add_columns(func.pg_notify(NOTIFY_CHANNEL, payload))
    if audit_names is not None:
        statement = statement.add_cte(_audit_from_meeting(new, audit_names).cte("new_audit"))
    if live_names is not None:
        rows = _from_meeting(new, LIVE, "l", 1, live_names, with_id=True)
        statement = statement.add_cte(rows.cte("new_live"))
    return statement


def _names(rows: Sequence[Mapping[str, Any]]) -> tuple[str, ...]:
    return tuple(name for name in rows[0] if name != "meeting_id") if rows else ()


def new_meeting_statement(
    meeting: Mapping[str, Any],
    invitees: Sequence[Mapping[str, Any]],
    actions: Sequence[Mapping[str, Any]],
    audit: Mapping[str, Any] | None,
    live: Mapping[str, Any] | None = None,
) -> tuple[Select[Any], dict[str, Any]]:
    """The statement and its parameters; it returns the new meeting's id, or
    no row for a duplicate. ``live``: the live record's columns but its
    ``meeting_id``."""
    invitee_names, action_names = _names(invitees), _names(actions)
    audit_names = None if audit is None else tuple(audit)
    live_names = None if live is None else _names([live])
    statement = _statement(
        tuple(meeting),
        invitees=len(invitees),
        invitee_names=invitee_names,
        actions=len(actions),
        action_names=action_names,
        audit_names=audit_names,
        live_names=live_names,
    )
    params = {f"m_{name}": value for name, value in meeting.items()}
    for prefix, rows, names in (("i", invitees, invitee_names), ("a", actions, action_names)):
        for n, row in enumerate(rows):
            params.update({f"{prefix}{n}_{name}": row[name] for name in names})
    if audit is not None:
        params.update({f"u0_{name}": value for name, value in audit.items()})
    if live is not None and live_names is not None:
        params.update({f"l0_{name}": live[name] for name in live_names})
    if actions:
        params["notify_at"] = min(row["available_at"] for row in actions).isoformat()
    return statement, params
