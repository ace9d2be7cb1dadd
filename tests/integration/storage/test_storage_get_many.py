"""Batch reads (``get_many``) on SQLite and PostgreSQL: the same as one
``get`` per item, for those stored, in one read."""

from __future__ import annotations

from datetime import timedelta

from bot.chat import ChatRef
from bot.live.model import LiveRecord
from bot.meeting import Invitee
from bot.ports import ChatSettings
from storage.repositories.chunks import CHUNK
from storage.uow import SqlUnitOfWorkFactory
from tests.integration.storage.conftest import MakeMeeting


async def test_meetings_read_together_are_those_read_one_by_one(
    uow_factory: SqlUnitOfWorkFactory, make_meeting: MakeMeeting
) -> None:
    invited = make_meeting("901", invitees=(Invitee("bob", "bob.b", "U0BOB"), Invitee("carol")))
    async with uow_factory() as uow:
        stored = [await uow.meetings.add(m) for m in (invited, make_meeting("902"))]
        await uow.commit()
    ids = [m.id for m in stored if m.id is not None]
    asked = [*ids, ids[-1] + 1000, 0, -5, 2**40]  # not stored, or no id at all
    async with uow_factory(transaction=False) as uow:
        together = await uow.meetings.get_many(asked)
        one_by_one = {i: await uow.meetings.get(i) for i in ids}
    assert together == one_by_one
    assert together[ids[0]].invitees == invited.invitees  # in their order


async def test_more_meetings_than_a_statement_takes(
    uow_factory: SqlUnitOfWorkFactory, make_meeting: MakeMeeting
) -> None:
    async with uow_factory() as uow:
        first = await uow.meetings.add(make_meeting("1000"))
        await uow.commit()
    assert first.id is not None
    async with uow_factory(transaction=False) as uow:
        found = await uow.meetings.get_many(range(first.id, first.id + CHUNK + 5))
    assert list(found) == [first.id]


async def test_chat_settings_read_together_give_each_chat_asked_about(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    kept, bare = ChatRef("slack", "T1", "C1"), ChatRef("slack", "T1", "C2")
    settings = ChatSettings(zone="Europe/Moscow", lang="ru", reminders=(timedelta(minutes=5),))
    async with uow_factory() as uow:
        await uow.chat_settings.save(kept, settings)
        await uow.commit()
    async with uow_factory(transaction=False) as uow:
        found = await uow.chat_settings.get_many([kept, bare])
    assert found == {kept.key: settings, bare.key: ChatSettings()}


async def test_live_cards_read_together_are_the_watched_ones(
    uow_factory: SqlUnitOfWorkFactory, make_meeting: MakeMeeting
) -> None:
    async with uow_factory() as uow:
        watched = await uow.meetings.add(make_meeting("301"))
        unwatched = await uow.meetings.add(make_meeting("302"))
        assert watched.id is not None
        assert unwatched.id is not None
        await uow.live.save(LiveRecord(watched.id, chat_key=watched.chat.key))
        await uow.commit()
    async with uow_factory(transaction=False) as uow:
        found = await uow.live.get_many([watched.id, unwatched.id])
        alone = await uow.live.get(watched.id)
    assert found == {watched.id: alone}
