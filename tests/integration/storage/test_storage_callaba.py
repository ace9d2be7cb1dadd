"""A Callaba meeting as the store keeps it: the view-only link and people kept
as mentions survive the round trip on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from bot.meeting import Invitee, JoinInfo
from storage.uow import SqlUnitOfWorkFactory
from tests.integration.storage.conftest import MakeMeeting

pytestmark = pytest.mark.timeout(60)

ROOM = "65380ec8a33be4cd87d03e4f"


async def test_view_only_link_and_mentions_round_trip(
    uow_factory: SqlUnitOfWorkFactory, make_meeting: MakeMeeting
) -> None:
    join = JoinInfo(
        browser_url=f"https://rooms.example.com/conferences/{ROOM}",
        view_url=f"https://rooms.example.com/conferences-view-mode/{ROOM}",
    )
    meeting = make_meeting(ROOM).with_changes(
        backend="callaba",
        owner_login="",
        join=join,
        invitees=(Invitee("alice", user_id="U1"), Invitee("zed")),
    )
    async with uow_factory() as uow:
        stored = await uow.meetings.add(meeting)
        await uow.commit()

    async with uow_factory() as uow:
        assert stored.id is not None
        again = await uow.meetings.get(stored.id)
    assert again is not None
    assert again.backend == "callaba"
    assert again.join == join
    assert [(i.handle, i.login, i.user_id) for i in again.invitees] == [
        ("alice", "", "U1"),
        ("zed", "", ""),
    ]
