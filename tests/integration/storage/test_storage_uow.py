"""Transaction boundaries of SqlUnitOfWork, on both databases."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.chat import ChatRef, UserRef
from bot.meeting import Meeting
from bot.ports import ChatSettings, UnitOfWorkFactory
from storage.uow import SqlUnitOfWorkFactory

MakeMeeting = Callable[..., Meeting]


async def _stored_counts(
    factory: UnitOfWorkFactory, chat: ChatRef, user: UserRef
) -> tuple[int, str | None, ChatSettings]:
    async with factory() as uow:
        return (
            len(await uow.meetings.list_active(chat)),
            await uow.links.get(user),
            await uow.chat_settings.get(chat),
        )


async def test_leaving_without_commit_rolls_everything_back(
    uow_factory: SqlUnitOfWorkFactory, make_meeting: MakeMeeting, chat: ChatRef, alice: UserRef
) -> None:
    factory: UnitOfWorkFactory = uow_factory  # the core's port, checked by mypy
    async with factory() as uow:
        added = await uow.meetings.add(make_meeting())
        await uow.links.set(alice, "alice", linked_by=alice)
        await uow.chat_settings.save(chat, ChatSettings(zone="Europe/Paris"))
        await uow.audit.record(chat=chat, user=alice, command="create", outcome="ok")
        assert added.id is not None
        assert await uow.meetings.get(added.id) == added  # visible inside the transaction
    assert await _stored_counts(factory, chat, alice) == (0, None, ChatSettings())


async def test_an_exception_rolls_back_and_propagates(
    uow_factory: SqlUnitOfWorkFactory, make_meeting: MakeMeeting, chat: ChatRef, alice: UserRef
) -> None:
    async def failing_work() -> None:
        async with uow_factory() as uow:
            await uow.meetings.add(make_meeting())
            await uow.links.set(alice, "alice", linked_by=alice)
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        await failing_work()
    assert await _stored_counts(uow_factory, chat, alice) == (0, None, ChatSettings())


async def test_only_work_before_the_last_commit_is_kept(
    uow_factory: SqlUnitOfWorkFactory, make_meeting: MakeMeeting, chat: ChatRef, alice: UserRef
) -> None:
    async with uow_factory() as uow:
        await uow.meetings.add(make_meeting("1"))
        await uow.commit()
        await uow.meetings.add(make_meeting("2"))
        await uow.links.set(alice, "alice", linked_by=alice)
    async with uow_factory() as uow:
        active = await uow.meetings.list_active(chat)
        link = await uow.links.get(alice)
    assert [m.conference_id for m in active] == ["1"]
    assert link is None


async def test_a_unit_of_work_is_entered_once(uow_factory: SqlUnitOfWorkFactory) -> None:
    uow = uow_factory()
    async with uow:
        pass
    with pytest.raises(RuntimeError, match="once"):
        async with uow:
            pass
    with pytest.raises(RuntimeError, match="async with"):
        await uow_factory().commit()


async def test_units_of_work_are_isolated_until_commit(
    uow_factory: SqlUnitOfWorkFactory, make_meeting: MakeMeeting, chat: ChatRef
) -> None:
    async with uow_factory() as writer:
        await writer.meetings.add(make_meeting("1"))
        # A reader: on SQLite a second writing transaction would wait for the
        # write lock (held from BEGIN IMMEDIATE) instead of reading.
        async with uow_factory(transaction=False) as reader:
            before = await reader.meetings.list_active(chat)
        await writer.commit()
    async with uow_factory() as reader:
        after = await reader.meetings.list_active(chat)
    assert before == []
    assert [m.conference_id for m in after] == ["1"]
