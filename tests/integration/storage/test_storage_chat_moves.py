"""A chat that changes its id (a Telegram group upgraded to a supergroup) keeps
its meetings, settings and reminders, on both databases."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.chat import ChatRef
from bot.chat_moves import move_chat
from bot.meeting import Meeting
from bot.ports import ChatSettings
from bot.ports.ledger import ActionKind, PlannedAction
from bot.schedule import Once
from storage.models import ScheduledActionRow
from storage.uow import SqlUnitOfWorkFactory

MakeMeeting = Callable[..., Meeting]

GROUP = ChatRef("telegram", "123456", "-4001")
SUPERGROUP = ChatRef("telegram", "123456", "-1004001")
ELSEWHERE = ChatRef("telegram", "123456", "-4002")
START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def reminder(chat: ChatRef, minutes: int) -> PlannedAction:
    return PlannedAction(ActionKind.REMIND, START, timedelta(minutes=minutes), chat.key)


async def test_meetings_settings_and_reminders_follow_the_new_id(
    uow_factory: SqlUnitOfWorkFactory,
    session_factory: async_sessionmaker[AsyncSession],
    make_meeting: MakeMeeting,
) -> None:
    once = Once(START, "UTC")
    async with uow_factory() as uow:
        standup = await uow.meetings.add(make_meeting("0001", chat=GROUP, schedule=once))
        await uow.meetings.add(make_meeting("0002", chat=GROUP, schedule=once))
        other = await uow.meetings.add(make_meeting("0003", chat=ELSEWHERE, schedule=once))
        assert standup.id is not None
        assert other.id is not None
        await uow.ledger.add(standup.id, [reminder(GROUP, 10), reminder(GROUP, 60)])
        await uow.ledger.add(other.id, [reminder(ELSEWHERE, 10)])
        await uow.chat_settings.save(GROUP, ChatSettings(zone="Europe/Moscow", lang="ru"))
        await uow.commit()

    assert await move_chat(uow_factory, GROUP, SUPERGROUP) == 2

    async with uow_factory() as uow:
        assert await uow.meetings.list_active(GROUP) == []
        moved = await uow.meetings.list_active(SUPERGROUP)
        assert sorted(m.conference_id for m in moved) == ["0001", "0002"]
        assert {m.chat for m in moved} == {SUPERGROUP}
        assert [m.conference_id for m in await uow.meetings.list_active(ELSEWHERE)] == ["0003"]
        assert await uow.chat_settings.get(SUPERGROUP) == ChatSettings(
            zone="Europe/Moscow", lang="ru"
        )
        assert await uow.chat_settings.get(GROUP) == ChatSettings()
        assert await uow.ledger.next_reminder(standup.id) == START - timedelta(minutes=60)
    async with session_factory() as session:
        recipients = (
            await session.scalars(
                select(ScheduledActionRow.recipient).order_by(ScheduledActionRow.id)
            )
        ).all()
    assert recipients == [SUPERGROUP.key, SUPERGROUP.key, ELSEWHERE.key]

    # Telegram announces the move in both chats: the second time moves nothing.
    assert await move_chat(uow_factory, GROUP, SUPERGROUP) == 0


async def test_settings_made_in_the_new_chat_win(uow_factory: SqlUnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.chat_settings.save(GROUP, ChatSettings(zone="Europe/Moscow"))
        await uow.chat_settings.save(SUPERGROUP, ChatSettings(zone="Asia/Tokyo"))
        await uow.commit()

    assert await move_chat(uow_factory, GROUP, SUPERGROUP) == 0

    async with uow_factory() as uow:
        assert (await uow.chat_settings.get(SUPERGROUP)).zone == "Asia/Tokyo"
        assert await uow.chat_settings.get(GROUP) == ChatSettings()
