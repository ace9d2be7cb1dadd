"""``list_for_user``: a person's scheduled meetings across the chats of their workspace."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.chat import ChatRef, UserRef
from bot.meeting import Invitee, Meeting, MeetingStatus
from storage.uow import SqlUnitOfWorkFactory

pytestmark = pytest.mark.timeout(30)

MakeMeeting = Callable[..., Meeting]
BOB = UserRef("slack", "T0001", "U0BOB", "Bob")


async def test_created_and_invited_meetings_in_any_chat_but_not_cancelled_or_elsewhere(
    uow_factory: SqlUnitOfWorkFactory,
    make_meeting: MakeMeeting,
    alice: UserRef,
    other_chat: ChatRef,
) -> None:
    invited = (Invitee("bob", "bob", "U0BOB"),)
    async with uow_factory() as uow:
        created = await uow.meetings.add(make_meeting("1"))
        elsewhere = await uow.meetings.add(make_meeting("2", chat=other_chat, invitees=invited))
        cancelled = await uow.meetings.add(make_meeting("3", invitees=invited))
        await uow.meetings.save(cancelled.with_changes(status=MeetingStatus.CANCELLED))
        other_team = ChatRef("slack", "T0OTHER", "C0001")
        await uow.meetings.add(make_meeting("4", chat=other_team, invitees=invited))
        await uow.commit()

    async with uow_factory() as uow:
        mine = await uow.meetings.list_for_user(alice)
        bobs = await uow.meetings.list_for_user(BOB)
    assert [m.id for m in mine] == [created.id, elsewhere.id]
    assert [m.id for m in bobs] == [elsewhere.id]
    assert bobs[0].invitees == invited
