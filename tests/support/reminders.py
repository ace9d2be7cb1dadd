"""Ledger fixtures shared by the reminder tests and benchmarks: meetings with
due reminders written straight into a real database, a core wired to it, and
a messenger that records each reminder's topic."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.chat import ChatRef, Platform, UserRef
from bot.clock import Clock
from bot.context import Defaults, Deps
from bot.errors import DeliveryError
from bot.messengers import Messengers
from bot.ports.messenger import Messenger
from bot.reply import Capabilities, Reply, Title
from storage.models import MeetingRow, ScheduledActionRow
from storage.uow import SqlUnitOfWorkFactory

CHAT = ChatRef("console", "local", "room")
OFFSET = timedelta(minutes=10)


def topic_of(reply: Reply) -> str:
    return next(block.text for block in reply.blocks if isinstance(block, Title))


class ConsoleStandIn:
    """A messenger for the console platform that shows nothing beyond text;
    each stand-in says what its ``send`` does."""

    @property
    def platform(self) -> Platform:
        return "console"

    deliverable = True  # any process posts through it

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities()

    async def edit(self, chat: ChatRef, message_id: str, reply: Reply) -> None:
        raise DeliveryError("a stand-in edits nothing", permanent=True)  # edits is off


@dataclass
class TopicRecorder(ConsoleStandIn):
    """A messenger answering at once; keeps (topic, when it was sent)."""

    clock: Clock
    sent: list[tuple[str, datetime]] = field(default_factory=list)

    async def send(self, chat: ChatRef, reply: Reply) -> None:
        self.sent.append((topic_of(reply), self.clock.now()))


@dataclass
class FileRecorder(ConsoleStandIn):
    """A messenger for dispatcher processes: appends each topic to a file once
    sent (after an optional delay, to be caught mid-send)."""

    path: str
    delay: float = 0.0

    async def send(self, chat: ChatRef, reply: Reply) -> None:
        if self.delay:
            await asyncio.sleep(self.delay)  # a slow chat service
        line = (topic_of(reply) + "\n").encode()
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, line)  # one small O_APPEND write: lines never interleave
        finally:
            os.close(fd)


def core_deps(uow: SqlUnitOfWorkFactory, clock: Clock) -> Deps:
    return Deps(
        backends={},
        default_backend="trueconf",
        directory=None,
        uow=uow,
        clock=clock,
        defaults=Defaults(
            zone="UTC",
            lang="en",
            duration=timedelta(hours=1),
            owner_login="helen",
            server_zone="UTC",
        ),
    )


def messengers_with(*messengers: Messenger) -> Messengers:
    registry = Messengers()
    for messenger in messengers:
        registry.register(messenger)
    return registry


CREATOR = UserRef("console", "local", "helen", "helen")


def meeting_values(
    conference_id: str,
    topic: str,
    chat: ChatRef,
    start: datetime,
    now: datetime,
    *,
    offset: timedelta = OFFSET,
) -> dict[str, Any]:
    """A one-time meeting's row, reminded ``offset`` before its start."""
    return {
        "backend": "trueconf",
        "conference_id": conference_id,
        "chat_key": chat.key,
        "platform": chat.platform,
        "workspace_id": chat.workspace_id,
        "chat_id": chat.chat_id,
        "creator_key": CREATOR.key,
        "creator_platform": CREATOR.platform,
        "creator_workspace_id": CREATOR.workspace_id,
        "creator_user_id": CREATOR.user_id,
        "creator_name": CREATOR.display_name,
        "topic": topic,
        "schedule_kind": "once",
        "start_utc": start,
        "zone": "UTC",
        "duration_seconds": 1800,
        "owner_login": "helen",
        "page_url": f"https://tc.test/c/{conference_id}",
        "browser_url": f"https://tc.test/webrtc/{conference_id}",
        "app_deeplink": "",
        "android_intent": "",
        "sip": [],
        "sip_external": "",
        "h323": [],
        "status": "scheduled",
        "created_at": now,
        "updated_at": now,
        "reminder_offsets": [int(offset.total_seconds())],
    }


async def seed(
    sessions: async_sessionmaker[AsyncSession],
    fire_times: Sequence[datetime],
    *,
    now: datetime,
    batch: int = 5000,
    chats: Sequence[ChatRef] = (CHAT,),
    offset: timedelta = OFFSET,
) -> list[str]:
    """One meeting per reminder (topic ``r<n>``), each with one pending row
    firing at the given time, ``offset`` before its start, in ``chats`` in
    turn. Returns the topics."""
    topics = [f"r{n}" for n in range(len(fire_times))]
    for first in range(0, len(fire_times), batch):
        chunk = range(first, min(first + batch, len(fire_times)))
        async with sessions() as session:
            meetings = [
                meeting_values(
                    f"c{n}",
                    topics[n],
                    chats[n % len(chats)],
                    fire_times[n] + offset,
                    now,
                    offset=offset,
                )
                for n in chunk
            ]
            await session.execute(insert(MeetingRow), meetings)
            found = await session.execute(
                select(MeetingRow.conference_id, MeetingRow.id).where(
                    MeetingRow.conference_id.in_([f"c{n}" for n in chunk])
                )
            )
            ids = {row.conference_id: row.id for row in found}
            rows = [
                {
                    "meeting_id": ids[f"c{n}"],
                    "kind": "remind",
                    "occurrence_start": fire_times[n] + offset,
                    "offset_seconds": int(offset.total_seconds()),
                    "recipient": chats[n % len(chats)].key,
                    "fire_at": fire_times[n],
                    "available_at": fire_times[n],
                    "status": "pending",
                    "attempts": 0,
                    "created_at": now,
                }
                for n in chunk
            ]
            await session.execute(insert(ScheduledActionRow), rows)
            await session.commit()
    return topics


async def statuses(sessions: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    async with sessions() as session:
        result = await session.execute(select(ScheduledActionRow.status))
        counts: dict[str, int] = {}
        for (status,) in result:
            counts[status] = counts.get(status, 0) + 1
    return counts


def utcnow() -> datetime:
    return datetime.now(UTC)


DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


async def seed_weekly(
    sessions: async_sessionmaker[AsyncSession],
    topic: str,
    start: datetime,
    *,
    now: datetime,
    status: str | None = "pending",
    offset: timedelta = OFFSET,
) -> int:
    """A weekly meeting (UTC, on ``start``'s weekday and minute) reminded
    ``offset`` before; with ``status``, the row of the occurrence at ``start``
    in that state (``None``: no row at all). Returns the meeting's id."""
    values = meeting_values(f"w-{topic}", topic, CHAT, start, now)
    values.update(
        reminder_offsets=[int(offset.total_seconds())],
        schedule_kind="weekly",
        start_utc=None,
        weekly_days=DAYS[start.weekday()],
        weekly_time=f"{start:%H:%M}",
    )
    async with sessions() as session:
        meeting_id = (
            await session.execute(insert(MeetingRow).values(values).returning(MeetingRow.id))
        ).scalar_one()
        if status is not None:
            await session.execute(
                insert(ScheduledActionRow).values(
                    meeting_id=meeting_id,
                    kind="remind",
                    occurrence_start=start,
                    offset_seconds=int(offset.total_seconds()),
                    recipient=CHAT.key,
                    fire_at=start - offset,
                    available_at=start - offset,
                    status=status,
                    attempts=0 if status == "pending" else 1,
                    created_at=now,
                )
            )
        await session.commit()
    return int(meeting_id)


async def reminder_rows(
    sessions: async_sessionmaker[AsyncSession], meeting_id: int
) -> list[tuple[datetime, str]]:
    """The meeting's reminder rows: (occurrence start, status), oldest first."""
    async with sessions() as session:
        result = await session.execute(
            select(ScheduledActionRow.occurrence_start, ScheduledActionRow.status)
            .where(ScheduledActionRow.meeting_id == meeting_id)
            .order_by(ScheduledActionRow.occurrence_start)
        )
        return [(row.occurrence_start, row.status) for row in result]
