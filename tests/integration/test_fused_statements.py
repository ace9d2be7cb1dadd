"""The store's fused statements (a command's one read; a new meeting, its
invitees, ledger rows, audit line and live record in one write) give the same answers and
leave the same rows as the statements one by one (``fused=False``), for every
command kind, on both databases."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, select

from bot.chat import ChatRef, Mention, Standing, UserRef
from bot.clock import FrozenClock
from bot.commands import CommandInput
from bot.meeting import Invitee, Meeting, MeetingStatus
from bot.ports import AuditEntry, PlannedAction
from bot.ports.ledger import ActionKind
from bot.reply import Capabilities
from bot.schedule import Once
from bot.service import CommandService
from meetbridge.compose import App, build_app
from storage import SqlUnitOfWorkFactory, build_engine, build_session_factory
from storage.errors import ConflictError
from storage.models import AuditRow, InviteeRow, LiveCardRow, MeetingRow, ScheduledActionRow
from tests.support.edges import sandbox_config

pytestmark = pytest.mark.timeout(120)

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
SPEAKER = UserRef("slack", "T1", "U0HELEN", "helen")
MENTIONS = (
    Mention("alice", user_id="U0ALICE", email="alice@example.com"),
    Mention("nobody", user_id="U0NOBODY", email="nobody@example.com"),
)
# Every kind of command, and the ways they fail (each leaves an audit line).
LINES = [
    "now Standup",
    "now Standup <@U0ALICE|alice> <@U0NOBODY|nobody>",
    "tomorrow 15:00 for 30m Review",
    "weekly mon,wed 10:00 for 30m Sync",
    "list",
    "tomorrow 25:00 Broken",
    "info 999",
    "cancel {first}",  # the chat's first meeting
    "list",
]


@dataclass
class Paths:
    app: App
    services: dict[bool, CommandService]  # by fused
    factories: dict[bool, SqlUnitOfWorkFactory]
    made: dict[bool, list[str]] = field(default_factory=lambda: {True: [], False: []})

    async def say(self, fused: bool, line: str) -> str:
        made = self.made[fused]
        line = line.format(first=made[0] if made else "")
        chat = ChatRef("slack", "T1", "C0FUSED" if fused else "C0APART")
        mentions = MENTIONS if "<@" in line else ()
        command = CommandInput(
            text=line, chat=chat, user=SPEAKER, mentions=mentions, standing=Standing.MEMBER
        )
        reply = await self.services[fused].handle(command, Capabilities())
        made += re.findall(r"^Meeting #(\d+)", reply.plain_text())
        return reply.plain_text() + "".join(n.plain_text() for n in reply.private_notes)


@pytest.fixture
async def paths(database_url: str) -> AsyncIterator[Paths]:
    settings = sandbox_config(database_url)
    clock = FrozenClock(NOW)
    async with build_app(settings, clock=clock) as app:
        engine = build_engine(database_url)
        try:
            sessions = build_session_factory(engine)
            factories = {
                f: SqlUnitOfWorkFactory(sessions, clock=clock, fused=f) for f in (True, False)
            }
            services = {f: CommandService(replace(app.deps, uow=factories[f])) for f in factories}
            yield Paths(app, services, factories)
        finally:
            await engine.dispose()


def _same_shape(text: str, conference_ids: list[str], meeting_ids: list[int]) -> str:
    """``text`` with what differs between the two chats by construction (their
    ids, the conferences' ids and links, the meetings' numbers) named alike."""
    for n, conference_id in enumerate(conference_ids):
        text = text.replace(conference_id, f"<conference:{n}>")
    text = re.sub(r"C0(FUSED|APART)", "<chat>", text)
    numbers = {str(m): n for n, m in enumerate(meeting_ids)}
    # A meeting's number: after "#", or after a command word in a hint.
    return re.sub(
        r"(#|\b[a-z]+ )(\d+)\b",
        lambda m: m[1] + (f"<meeting {numbers[m[2]]}>" if m[2] in numbers else m[2]),
        text,
    )


def _columns(row: object, skip: set[str]) -> dict[str, Any]:
    return {c: v for c, v in vars(row).items() if not c.startswith("_") and c not in skip}


async def _rows(paths: Paths, fused: bool) -> tuple[list[str], list[int], list[dict[str, str]]]:
    """The conference ids of the chat's meetings, and every row the chat owns
    (meetings, invitees, ledger rows, live records, audit lines) with ids left
    out."""
    chat_key = ChatRef("slack", "T1", "C0FUSED" if fused else "C0APART").key
    async with paths.factories[True]() as uow:
        session = uow._require_session()
        in_chat = select(MeetingRow).where(MeetingRow.chat_key == chat_key)
        meetings = (await session.execute(in_chat.order_by(MeetingRow.id))).scalars().all()
        numbers = {m.id: n for n, m in enumerate(meetings)}
        rows = [_columns(m, {"id", "uid", "created_at", "updated_at"}) for m in meetings]
        invitees = await session.execute(
            select(InviteeRow)
            .where(InviteeRow.meeting_id.in_(numbers))
            .order_by(InviteeRow.meeting_id, InviteeRow.position)
        )
        rows += [
            {**_columns(r, {"id"}), "meeting_id": numbers[r.meeting_id]} for r in invitees.scalars()
        ]
        actions = await session.execute(
            select(ScheduledActionRow)
            .where(ScheduledActionRow.meeting_id.in_(numbers))
            .order_by(ScheduledActionRow.meeting_id, ScheduledActionRow.fire_at)
        )
        rows += [
            {**_columns(r, {"id"}), "meeting_id": numbers[r.meeting_id]} for r in actions.scalars()
        ]
        live = await session.execute(
            select(LiveCardRow)
            .where(LiveCardRow.meeting_id.in_(numbers))
            .order_by(LiveCardRow.meeting_id)
        )
        rows += [
            {**_columns(r, set()), "meeting_id": numbers[r.meeting_id]} for r in live.scalars()
        ]
        audit = await session.execute(
            select(AuditRow).where(AuditRow.chat_key == chat_key).order_by(AuditRow.id)
        )
        rows += [_columns(r, {"id", "chat_key"}) for r in audit.scalars()]
        conference_ids = [m.conference_id for m in meetings]
        meeting_ids = [m.id for m in meetings]
    shaped = [
        {k: _same_shape(str(v), conference_ids, meeting_ids) for k, v in row.items()}
        for row in rows
    ]
    return conference_ids, meeting_ids, shaped


async def test_each_command_kind_answers_and_stores_alike_on_both_paths(paths: Paths) -> None:
    answers: dict[bool, list[str]] = {True: [], False: []}
    for line in LINES:
        for fused in (False, True):
            answers[fused].append(await paths.say(fused, line))
    apart_ids, apart_numbers, apart_rows = await _rows(paths, fused=False)
    fused_ids, fused_numbers, fused_rows = await _rows(paths, fused=True)
    assert len(apart_ids) == len(fused_ids) == 4  # every creating line made its meeting
    # Each watched meeting has its live record (the sandbox tells who is in).
    assert sum("phase" in row for row in fused_rows) == 4
    # The two made now are stored running since their creation, nobody in.
    started = [row for row in fused_rows if row.get("phase") == "running"]
    assert len(started) == 2
    assert all(row["running_since"] == row["empty_since"] != "None" for row in started)
    for apart_answer, fused_answer in zip(answers[False], answers[True], strict=True):
        apart_shape = _same_shape(apart_answer, apart_ids, apart_numbers)
        assert apart_shape == _same_shape(fused_answer, fused_ids, fused_numbers)
    assert apart_rows == fused_rows
    audited = [row for row in fused_rows if "outcome" in row]
    assert len(audited) == len(LINES)  # one audit line per command, fused write or not
    # A line about a meeting names it: its number (known only once stored, for
    # a new one) and its conference.
    about = [(row["command"], row["detail"]) for row in audited if row["detail"]]
    assert about == [
        *(("new", f"#<meeting {n}> trueconf conference <conference:{n}>") for n in range(4)),
        ("cancel", "#<meeting 0> trueconf conference <conference:0>"),
    ]


async def test_a_duplicate_meeting_stores_nothing_on_either_path(paths: Paths) -> None:
    """The fused write's meeting conflicts: its invitees, ledger rows and audit
    line are not written either, as a rolled-back transaction writes none."""
    chat = ChatRef("slack", "T1", "C0DUP")
    start = NOW + timedelta(days=1)
    meeting = Meeting(
        backend="trueconf",
        conference_id="dup",
        chat=chat,
        creator=SPEAKER,
        topic="Twice",
        schedule=Once(start, "Europe/Moscow"),
        duration=timedelta(minutes=30),
        owner_login="helen",
        created_at=NOW,
        invitees=(Invitee("alice", login="alice"),),
    )
    action = PlannedAction(ActionKind.REMIND, start, timedelta(minutes=10), "")
    audit = AuditEntry(chat, SPEAKER, "new", "ok")
    for fused in (True, False):
        async with paths.factories[fused](transaction=False) as uow:
            await uow.meetings.add(meeting, actions=[action], audit=audit)
            await uow.commit()
        async with paths.factories[fused](transaction=False) as uow:
            with pytest.raises(ConflictError):
                await uow.meetings.add(meeting, actions=[action], audit=audit)
        async with paths.factories[fused]() as uow:
            session = uow._require_session()
            assert len((await session.execute(select(AuditRow))).all()) == 1
            assert len((await session.execute(select(InviteeRow))).all()) == 1
            assert len((await session.execute(select(ScheduledActionRow))).all()) == 1
            await session.execute(delete(MeetingRow))
            await session.execute(delete(AuditRow))
            await uow.commit()


async def test_a_chats_meetings_are_listed_alike_on_both_paths(paths: Paths) -> None:
    """``list_active`` (one Core statement with the invitees joined, or the
    ORM's load) gives equal meetings: invitees in order, none, and no
    cancelled one."""
    chat = ChatRef("slack", "T1", "C0LIST")
    start = NOW + timedelta(days=1)
    made = []
    for n, invitees in enumerate(
        [
            (Invitee("bob", login="bob", user_id="U0BOB"), Invitee("alice", login="alice")),
            (),
            (Invitee("carol", login="carol"),),
        ]
    ):
        meeting = Meeting(
            backend="trueconf",
            conference_id=f"listed{n}",
            chat=chat,
            creator=SPEAKER,
            topic=f"Listed {n}",
            schedule=Once(start + timedelta(hours=n), "Europe/Moscow"),
            duration=timedelta(minutes=30),
            owner_login="helen",
            created_at=NOW,
            invitees=invitees,
            reminders=(timedelta(minutes=10),),
        )
        async with paths.factories[True](transaction=False) as uow:
            made.append(await uow.meetings.add(meeting))
            await uow.commit()
    async with paths.factories[True]() as uow:
        cancelled = made[2].with_changes(status=MeetingStatus.CANCELLED)
        await uow.meetings.save(cancelled)
        await uow.commit()
    listed = {}
    for fused in (True, False):
        async with paths.factories[fused](transaction=False) as uow:
            listed[fused] = await uow.meetings.list_active(chat)
    assert listed[True] == listed[False]
    assert [m.topic for m in listed[True]] == ["Listed 0", "Listed 1"]
    assert [i.handle for i in listed[True][0].invitees] == ["bob", "alice"]
