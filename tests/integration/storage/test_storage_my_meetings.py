"""``list_for_user``: a person's scheduled meetings across the chats of their workspace."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from bot.chat import ChatRef, UserRef
from bot.meeting import Invitee, LiveState, Meeting, MeetingStatus
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


async def test_an_invitation_by_the_persons_linked_login_counts_as_theirs(
    uow_factory: SqlUnitOfWorkFactory, make_meeting: MakeMeeting
) -> None:
    # "@bob" typed: the invitee has bob's TrueConf login, no Slack user id.
    by_login = (Invitee("@bob", "bob", ""),)
    async with uow_factory() as uow:
        meeting = await uow.meetings.add(make_meeting("1", invitees=by_login))
        await uow.meetings.add(make_meeting("2", invitees=(Invitee("@carol", "carol", ""),)))
        await uow.commit()

    async with uow_factory() as uow:
        unlinked = await uow.meetings.list_for_user(BOB)
        linked = await uow.meetings.list_for_user(BOB, "bob")
    assert unlinked == []
    assert [m.id for m in linked] == [meeting.id]


async def test_recording_the_live_state_keeps_the_calendar_sequence(
    uow_factory: SqlUnitOfWorkFactory, make_meeting: MakeMeeting
) -> None:
    async with uow_factory() as uow:
        meeting = await uow.meetings.add(make_meeting("1"))
        await uow.commit()
    assert meeting.id is not None
    since = meeting.created_at + timedelta(minutes=5)

    async with uow_factory() as uow:
        await uow.meetings.record_state(meeting.id, LiveState.RUNNING, since=since, people_in=3)
        await uow.commit()
    async with uow_factory() as uow:
        running = await uow.meetings.get(meeting.id)
    assert running is not None
    assert (running.state, running.state_since, running.people_in) == (LiveState.RUNNING, since, 3)
    assert running.sequence == meeting.sequence

    async with uow_factory() as uow:
        await uow.meetings.record_state(meeting.id, LiveState.ENDED, since=since)
        # Not committed: the state stays as it was.
    async with uow_factory() as uow:
        still = await uow.meetings.get(meeting.id)
    assert still is not None
    assert still.state is LiveState.RUNNING
