"""Meetings written straight into a bridge database, for tests of the pages
``meetbridge serve`` shows about them (``/open``, ``/ics``)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from bot.chat import ChatRef, UserRef
from bot.clock import FrozenClock
from bot.meeting import JoinInfo, Meeting, MeetingStatus
from bot.schedule import Once, Schedule
from storage import SqlUnitOfWorkFactory, build_engine, build_session_factory, upgrade

CHAT = ChatRef("telegram", "", "-100")


def a_meeting(
    topic: str, *, schedule: Schedule | None = None, join: JoinInfo | None = None
) -> Meeting:
    """A meeting tomorrow in Moscow, 30 minutes, unless told otherwise."""
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
    return Meeting(
        backend="trueconf",
        conference_id=f"c-{uuid.uuid4()}",
        chat=CHAT,
        creator=UserRef("telegram", "", "7", "ann"),
        topic=topic,
        schedule=schedule or Once(start, "Europe/Moscow"),
        duration=timedelta(minutes=30),
        owner_login="admin",
        created_at=datetime(2026, 11, 23, 8, 0, tzinfo=UTC),
        join=join or JoinInfo(page_url="https://video.example.com/c/0042"),
        uid=str(uuid.uuid4()),
    )


async def store(url: str, *meetings: Meeting, cancel: Meeting | None = None) -> list[Meeting]:
    """Migrates the database at ``url``, adds ``meetings`` (returned with their
    numbers) and cancels ``cancel``."""
    await upgrade(url)
    engine = build_engine(url)
    try:
        clock = FrozenClock(datetime.now(UTC))
        uow = SqlUnitOfWorkFactory(build_session_factory(engine), clock=clock)
        async with uow() as work:
            stored = [await work.meetings.add(meeting) for meeting in meetings]
            if cancel is not None:
                await work.meetings.save(cancel.with_changes(status=MeetingStatus.CANCELLED))
            await work.commit()
    finally:
        await engine.dispose()
    return stored
