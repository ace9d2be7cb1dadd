"""Live card records on both databases: a poll's save never forgets where the
card is, a meeting is polled by one caller per interval, and a deleted
meeting takes its record with it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.live.model import LiveRecord, LiveView, Participant
from bot.meeting import LiveState
from storage.uow import SqlUnitOfWorkFactory
from tests.integration.storage.conftest import MakeMeeting

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)


async def _stored(uow_factory: SqlUnitOfWorkFactory, make_meeting: MakeMeeting) -> int:
    async with uow_factory() as uow:
        meeting = await uow.meetings.add(make_meeting())
        assert meeting.id is not None
        await uow.live.save(LiveRecord(meeting.id, chat_key=meeting.chat.key))
        await uow.commit()
    return meeting.id


async def test_a_record_round_trips_and_a_save_keeps_the_card(
    uow_factory: SqlUnitOfWorkFactory, make_meeting: MakeMeeting
) -> None:
    meeting_id = await _stored(uow_factory, make_meeting)
    async with uow_factory() as uow:
        read_before_the_card = await uow.live.get(meeting_id)
    async with uow_factory() as uow:
        assert await uow.live.set_card(meeting_id, "1733.0001")
        assert not await uow.live.set_card(meeting_id + 1000, "x")  # not watched
        await uow.commit()
    assert read_before_the_card is not None
    seen = (Participant("Alice Archer"), Participant("guest 1", guest=True))
    moved_on = LiveRecord(
        meeting_id,
        shown=LiveView(LiveState.RUNNING, ("Alice Archer",), 1),
        phase=LiveState.RUNNING,
        running_since=NOW,
        empty_since=None,
        idle_noted=True,
        seen=seen,
    )
    async with uow_factory() as uow:
        await uow.live.save(moved_on)  # a poll that read the record before the card
        await uow.commit()
    async with uow_factory() as uow:
        record = await uow.live.get(meeting_id)
    assert record is not None
    assert record.message_id == "1733.0001"
    assert record.shown == LiveView(LiveState.RUNNING, ("Alice Archer",), 1)
    assert record.phase is LiveState.RUNNING
    assert record.running_since == NOW
    assert record.idle_noted
    assert record.seen == seen


async def test_one_turn_per_interval_among_callers_at_once(
    uow_factory: SqlUnitOfWorkFactory, make_meeting: MakeMeeting
) -> None:
    meeting_id = await _stored(uow_factory, make_meeting)

    async def turn(now: datetime) -> bool:
        async with uow_factory(transaction=False) as uow:
            taken = await uow.live.take_turn(meeting_id, now, now - timedelta(seconds=15))
            await uow.commit()
        return taken

    assert sum(await asyncio.gather(*(turn(NOW) for _ in range(6)))) == 1
    assert not await turn(NOW + timedelta(seconds=10))  # within the interval
    assert await turn(NOW + timedelta(seconds=30))
    async with uow_factory() as uow:
        record = await uow.live.get(meeting_id)
    assert record is not None
    assert record.polled_at == NOW + timedelta(seconds=30)


async def test_a_first_turn_makes_the_record_of_a_meeting_without_one(
    uow_factory: SqlUnitOfWorkFactory, make_meeting: MakeMeeting
) -> None:
    async with uow_factory() as uow:
        meeting = await uow.meetings.add(make_meeting())
        await uow.commit()
    assert meeting.id is not None
    async with uow_factory(transaction=False) as uow:
        assert await uow.live.take_turn(meeting.id, NOW, NOW - timedelta(seconds=15))
        await uow.commit()
    async with uow_factory() as uow:
        record = await uow.live.get(meeting.id)
    assert record is not None
    assert not record.tracked
    assert record.phase is LiveState.SCHEDULED
