"""The next pending reminder of many meetings in one query (``/meet list``),
on both databases: the earliest pending one each, none for a meeting whose
reminders are all sent or that has none, and the same answer one at a time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.meeting import Meeting
from bot.ports.ledger import ActionKind, PlannedAction
from bot.schedule import Once
from storage.models import ScheduledActionRow
from storage.uow import SqlUnitOfWorkFactory

MakeMeeting = Callable[..., Meeting]

START = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)


def action(kind: ActionKind, minutes: int) -> PlannedAction:
    return PlannedAction(kind, START, timedelta(minutes=minutes), "slack:T0001:C0001")


async def test_each_meeting_gets_its_earliest_pending_reminder(
    uow_factory: SqlUnitOfWorkFactory,
    session_factory: async_sessionmaker[AsyncSession],
    make_meeting: MakeMeeting,
) -> None:
    once = Once(START, "UTC")
    async with uow_factory() as uow:
        two = await uow.meetings.add(make_meeting("0001", schedule=once))
        sent = await uow.meetings.add(make_meeting("0002", schedule=once))
        bare = await uow.meetings.add(make_meeting("0003", schedule=once))
        assert two.id is not None
        assert sent.id is not None
        assert bare.id is not None
        await uow.ledger.add(two.id, [action(ActionKind.REMIND, 10), action(ActionKind.REMIND, 60)])
        await uow.ledger.add(sent.id, [action(ActionKind.REMIND, 15)])
        # An activation is not a reminder, whenever it fires.
        await uow.ledger.add(bare.id, [action(ActionKind.ACTIVATE, 120)])
        await uow.commit()
    async with session_factory() as session, session.begin():
        await session.execute(
            update(ScheduledActionRow)
            .where(ScheduledActionRow.meeting_id == sent.id)
            .values(status="sent")
        )

    async with uow_factory() as uow:
        found = await uow.ledger.next_reminders([two.id, sent.id, bare.id])
        assert found == {two.id: START - timedelta(minutes=60)}
        assert found[two.id].tzinfo is not None
        assert await uow.ledger.next_reminder(two.id) == START - timedelta(minutes=60)
        assert await uow.ledger.next_reminder(sent.id) is None
        assert await uow.ledger.next_reminders([]) == {}
