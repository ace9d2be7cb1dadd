"""Meetings and their invitees."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import replace
from datetime import datetime
from itertools import groupby
from typing import Any

from sqlalchemy import Row, Select, Table, bindparam, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.chat import ChatRef, UserRef
from bot.clock import Clock
from bot.live.model import LiveRecord
from bot.meeting import Invitee, LiveState, Meeting, MeetingStatus
from bot.ports import AuditEntry, PlannedAction, numbered
from storage.autocommit import autocommits, in_transaction
from storage.errors import ConflictError, NotFoundError
from storage.mapping import (
    apply_meeting,
    invitee_columns,
    invitee_rows,
    meeting_columns,
    meeting_of,
)
from storage.models import AuditRow, InviteeRow, MeetingRow
from storage.repositories.audit import audit_values
from storage.repositories.chunks import chunks
from storage.repositories.fused import new_meeting_statement
from storage.repositories.ledger import action_values, insert_new
from storage.repositories.live import SqlLiveCards, live_values
from storage.repositories.upsert import insert_skipping_conflicts

# "12" or "#12"; a number with a leading zero ("0012") is a conference id.
_BRIDGE_ID = re.compile(r"#?([1-9][0-9]{0,9})")
_MAX_ID = 2**31 - 1  # INTEGER on PostgreSQL; larger numbers cannot be our ids


def bridge_number(ref: str) -> int | None:
    """The bridge's number ``ref`` names as people write it (``12``, ``#12``);
    ``None`` when it names none (``#12`` can name nothing else)."""
    by_id = _BRIDGE_ID.fullmatch(ref.strip())
    if by_id is None or int(by_id.group(1)) > _MAX_ID:
        return None
    return int(by_id.group(1))


def _with_invitees() -> Select[MeetingRow]:
    return select(MeetingRow).options(selectinload(MeetingRow.invitees))


_MEETINGS: Table = MeetingRow.__table__  # type: ignore[assignment]
_INVITEES: Table = InviteeRow.__table__  # type: ignore[assignment]
# Meetings, each row a meeting and one of its invitees (or none), in order:
# built once, compiled once.
_JOINED = (
    select(
        _MEETINGS,
        _INVITEES.c.position.label("invitee_position"),
        _INVITEES.c.handle.label("invitee_handle"),
        _INVITEES.c.login.label("invitee_login"),
        _INVITEES.c.user_id.label("invitee_user_id"),
    )
    .outerjoin(_INVITEES, _INVITEES.c.meeting_id == _MEETINGS.c.id)
    .order_by(_MEETINGS.c.id, _INVITEES.c.position)
)
# A chat's scheduled meetings.
_ACTIVE = _JOINED.where(
    _MEETINGS.c.chat_key == bindparam("chat_key"),
    _MEETINGS.c.status == MeetingStatus.SCHEDULED.value,
)


def _by_meeting(rows: Sequence[Row[Any]]) -> Iterator[tuple[Row[Any], list[Row[Any]]]]:
    for _, group in groupby(rows, key=lambda r: r.id):
        each = list(group)
        yield each[0], each


def _invitee(row: Row[Any]) -> Invitee:
    return Invitee(handle=row.invitee_handle, login=row.invitee_login, user_id=row.invitee_user_id)


class SqlMeetingRepository:
    def __init__(self, session: AsyncSession, clock: Clock, *, fused: bool = True) -> None:
        self._session = session
        self._clock = clock
        self._fused = fused  # False: the statements one by one, as before

    async def add(
        self,
        meeting: Meeting,
        *,
        actions: Sequence[PlannedAction] = (),
        audit: AuditEntry | None = None,
        live: LiveRecord | None = None,
    ) -> Meeting:
        now = self._clock.now()
        values = {"created_at": meeting.created_at, **meeting_columns(meeting, now=now)}
        if self._fused and autocommits(self._session):
            # PostgreSQL outside a transaction: all of it in one statement.
            statement, params = new_meeting_statement(
                values,
                invitee_columns(meeting.invitees),
                [action_values(0, a, now) for a in actions],
                None if audit is None else audit_values(audit, now),
                None if live is None else live_values(live),
            )
            # Core on the session's connection: no ORM bookkeeping for a statement
            # that maps no objects.
            connection = await self._session.connection()
            meeting_id = (await connection.execute(statement, params)).scalar_one_or_none()
            if meeting_id is None:
                raise self._duplicate(meeting)
            return meeting.with_changes(id=meeting_id)
        async with in_transaction(self._session):
            stored = await self._add_stepwise(meeting, values)
            assert stored.id is not None
            await insert_new(self._session, [action_values(stored.id, a, now) for a in actions])
            if audit is not None:
                line = audit_values(numbered(audit, stored.id), now)
                await self._session.execute(insert(AuditRow).values(line))
            if live is not None:
                await SqlLiveCards(self._session).save(replace(live, meeting_id=stored.id))
        return stored

    @staticmethod
    def _duplicate(meeting: Meeting) -> ConflictError:
        return ConflictError(
            f"a meeting for {meeting.backend} conference {meeting.conference_id!r} "
            "is already stored"
        )

    async def _add_stepwise(self, meeting: Meeting, values: dict[str, Any]) -> Meeting:
        # ON CONFLICT DO NOTHING … RETURNING: a duplicate returns no id and fails
        # only this call, leaving the unit of work usable (e.g. to record the
        # failure) without a savepoint's two extra round trips.
        statement = insert_skipping_conflicts(
            self._session, MeetingRow, ("backend", "conference_id")
        )
        inserted = await self._session.execute(statement.values(values).returning(MeetingRow.id))
        meeting_id = inserted.scalar_one_or_none()
        if meeting_id is None:
            raise self._duplicate(meeting)
        if meeting.invitees:
            rows = [{"meeting_id": meeting_id, **c} for c in invitee_columns(meeting.invitees)]
            await self._session.execute(insert(InviteeRow), rows)
        return meeting.with_changes(id=meeting_id)

    async def get(self, meeting_id: int) -> Meeting | None:
        if not 0 < meeting_id <= _MAX_ID:
            return None
        row = await self._one(_with_invitees().where(MeetingRow.id == meeting_id))
        return None if row is None else meeting_of(row)

    async def get_for_update(self, meeting_id: int) -> Meeting | None:
        # PostgreSQL: FOR UPDATE locks the meeting's row (its invitees are
        # changed only with it). SQLite renders none: a writing transaction
        # holds the database's write lock from its BEGIN (IMMEDIATE, storage.db).
        if not 0 < meeting_id <= _MAX_ID:
            return None
        # populate_existing: a row this session still holds from an earlier
        # read (the command's lookup) is refreshed by the locked read.
        locked = (
            _with_invitees()
            .where(MeetingRow.id == meeting_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        row = await self._one(locked)
        return None if row is None else meeting_of(row)

    async def get_many(self, meeting_ids: Collection[int]) -> dict[int, Meeting]:
        # Core on the session's connection, one statement per thousand
        # meetings (their invitees joined), no mapped objects.
        wanted = sorted({i for i in meeting_ids if 0 < i <= _MAX_ID})
        connection = await self._session.connection()
        found: dict[int, Meeting] = {}
        for chunk in chunks(wanted):
            rows = (await connection.execute(_JOINED.where(_MEETINGS.c.id.in_(chunk)))).all()
            for first, group in _by_meeting(rows):
                invitees = [_invitee(r) for r in group if r.invitee_position is not None]
                found[first.id] = meeting_of(first, invitees)
        return found

    async def find_in_chat(self, chat: ChatRef, ref: str) -> Meeting | None:
        ref = ref.strip()
        if not ref:
            return None
        in_chat = _with_invitees().where(MeetingRow.chat_key == chat.key)
        number = bridge_number(ref)
        if number is not None:
            row = await self._one(in_chat.where(MeetingRow.id == number))
            if row is not None or ref.startswith("#"):
                return None if row is None else meeting_of(row)
        # Unique per backend; the newest wins should two backends share an id.
        row = await self._one(
            in_chat.where(MeetingRow.conference_id == ref).order_by(MeetingRow.id.desc()).limit(1)
        )
        return None if row is None else meeting_of(row)

    async def list_active(self, chat: ChatRef) -> list[Meeting]:
        if self._fused:
            # Core, one statement: the meetings with their invitees joined
            # (the ORM's load cost more CPU than the rest of a `list`).
            connection = await self._session.connection()
            rows = (await connection.execute(_ACTIVE, {"chat_key": chat.key})).all()
            return [
                meeting_of(first, [_invitee(r) for r in group if r.invitee_position is not None])
                for first, group in _by_meeting(rows)
            ]
        result = await self._session.execute(
            _with_invitees()
            .where(
                MeetingRow.chat_key == chat.key,
                MeetingRow.status == MeetingStatus.SCHEDULED.value,
            )
            .order_by(MeetingRow.id)
        )
        return [meeting_of(row) for row in result.scalars()]

    async def list_for_user(self, user: UserRef, login: str | None = None) -> list[Meeting]:
        named = [InviteeRow.user_id == user.user_id]
        if login:  # invited as their server account ("@bob" typed, linked to bob)
            named.append(InviteeRow.login == login)
        invited = select(InviteeRow.meeting_id).where(or_(*named))
        result = await self._session.execute(
            _with_invitees()
            .where(
                MeetingRow.platform == user.platform,
                MeetingRow.workspace_id == user.workspace_id,
                MeetingRow.status == MeetingStatus.SCHEDULED.value,
                or_(MeetingRow.creator_user_id == user.user_id, MeetingRow.id.in_(invited)),
            )
            .order_by(MeetingRow.id)
        )
        return [meeting_of(row) for row in result.scalars()]

    async def record_state(
        self,
        meeting_id: int,
        state: LiveState,
        *,
        since: datetime,
        people_in: int | None = None,
    ) -> None:
        # Not a change of the meeting itself: the calendar's SEQUENCE stays.
        # A cancelled meeting stays as it was cancelled: a start or a poll
        # that read it before the cancel records nothing after it.
        await self._session.execute(
            update(MeetingRow)
            .where(
                MeetingRow.id == meeting_id,
                MeetingRow.status == MeetingStatus.SCHEDULED.value,
            )
            .values(live_state=state.value, state_since=since, people_in=people_in)
        )

    async def save(self, meeting: Meeting) -> None:
        if meeting.id is None:
            raise NotFoundError("cannot save a meeting that was never added (it has no id)")
        row = await self._one(_with_invitees().where(MeetingRow.id == meeting.id))
        if row is None:
            raise NotFoundError(f"meeting #{meeting.id} is not stored")
        try:
            async with self._session.begin_nested():
                apply_meeting(row, meeting, now=self._clock.now())
                # Every stored change is a new version of the calendar event.
                row.sequence = row.sequence + 1
                # Replace invitees: delete the old rows first, or the new ones would
                # collide with them on (meeting_id, position) within one flush.
                row.invitees.clear()
                await self._session.flush()
                row.invitees.extend(invitee_rows(meeting.invitees))
        except IntegrityError as exc:
            raise ConflictError(
                f"meeting #{meeting.id}: {meeting.backend} conference "
                f"{meeting.conference_id!r} belongs to another meeting"
            ) from exc

    async def _one(self, statement: Select[MeetingRow]) -> MeetingRow | None:
        result = await self._session.execute(statement)
        return result.scalar_one_or_none()
