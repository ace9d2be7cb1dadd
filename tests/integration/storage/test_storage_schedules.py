"""Every schedule kind survives a round trip exactly, on both databases."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

import pytest

from bot.meeting import Meeting
from bot.schedule import ALL_DAYS, WEEKDAYS, Instant, Once, Schedule, Weekday, Weekly
from storage.uow import SqlUnitOfWorkFactory

MakeMeeting = Callable[..., Meeting]

SCHEDULES: dict[str, Schedule] = {
    "instant": Instant(),
    "once": Once(datetime(2026, 12, 1, 6, 30, tzinfo=UTC), "Europe/Moscow"),
    "once-microseconds": Once(
        datetime(2026, 3, 29, 0, 59, 59, 999999, tzinfo=UTC), "Europe/Berlin"
    ),
    "weekly": Weekly(frozenset({Weekday.WEDNESDAY, Weekday.MONDAY}), time(10, 0), "Europe/Berlin"),
    "weekdays": Weekly(WEEKDAYS, time(9, 5), "America/New_York"),
    "every-day": Weekly(ALL_DAYS, time(23, 59), "Asia/Kolkata"),
    "weekly-seconds": Weekly(frozenset({Weekday.SUNDAY}), time(7, 30, 15), "UTC"),
}


async def _added(uow_factory: SqlUnitOfWorkFactory, meeting: Meeting) -> Meeting:
    async with uow_factory() as uow:
        added = await uow.meetings.add(meeting)
        await uow.commit()
    return added


async def _read_back(uow_factory: SqlUnitOfWorkFactory, meeting: Meeting) -> Meeting:
    """``meeting`` as a fresh unit of work reads it from the database."""
    async with uow_factory() as uow:
        assert meeting.id is not None
        stored = await uow.meetings.get(meeting.id)
    assert stored is not None
    return stored


@pytest.mark.parametrize("schedule", list(SCHEDULES.values()), ids=list(SCHEDULES))
async def test_schedule_round_trips(
    uow_factory: SqlUnitOfWorkFactory, make_meeting: MakeMeeting, schedule: Schedule
) -> None:
    meeting = await _added(uow_factory, make_meeting(schedule=schedule))
    stored = await _read_back(uow_factory, meeting)
    assert stored.schedule == schedule
    assert type(stored.schedule) is type(schedule)
    if isinstance(stored.schedule, Once):
        assert stored.schedule.start.tzinfo is not None
        assert stored.schedule.start.utcoffset() == timedelta(0)


async def test_switching_schedule_kind_clears_the_old_fields(
    uow_factory: SqlUnitOfWorkFactory, make_meeting: MakeMeeting
) -> None:
    meeting = await _added(uow_factory, make_meeting(schedule=SCHEDULES["weekly"]))
    for schedule in (SCHEDULES["once"], Instant(), SCHEDULES["weekdays"]):
        async with uow_factory() as uow:
            await uow.meetings.save(meeting.with_changes(schedule=schedule))
            await uow.commit()
        assert (await _read_back(uow_factory, meeting)).schedule == schedule


@pytest.mark.parametrize(
    "duration", [None, timedelta(minutes=45), timedelta(hours=26)], ids=["none", "45m", "26h"]
)
async def test_duration_round_trips(
    uow_factory: SqlUnitOfWorkFactory, make_meeting: MakeMeeting, duration: timedelta | None
) -> None:
    meeting = await _added(uow_factory, make_meeting(duration=duration))
    assert (await _read_back(uow_factory, meeting)).duration == duration
