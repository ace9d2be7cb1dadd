"""MeetingRepository on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from bot.chat import ChatRef
from bot.meeting import Invitee, JoinInfo, Meeting, MeetingStatus
from storage.errors import ConflictError, NotFoundError
from storage.uow import SqlUnitOfWorkFactory

MakeMeeting = Callable[..., Meeting]


async def test_add_assigns_ids_and_get_returns_the_same_meeting(
    uow_factory: SqlUnitOfWorkFactory, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(invitees=(Invitee("bob", "bob.b", "U0BOB"), Invitee("carol")))
    async with uow_factory() as uow:
        first = await uow.meetings.add(meeting)
        second = await uow.meetings.add(make_meeting("0000124"))
        await uow.commit()

    assert first.id is not None
    assert second.id == first.id + 1
    assert first == meeting.with_changes(id=first.id)
    async with uow_factory() as uow:
        assert await uow.meetings.get(first.id) == first
        assert await uow.meetings.get(second.id + 100) is None


async def test_join_info_round_trips_without_a_pin_column(
    uow_factory: SqlUnitOfWorkFactory, make_meeting: MakeMeeting
) -> None:
    empty = make_meeting("555").with_changes(join=JoinInfo())
    async with uow_factory() as uow:
        full = await uow.meetings.add(make_meeting("556"))
        bare = await uow.meetings.add(empty)
        await uow.commit()
    async with uow_factory() as uow:
        assert full.id is not None
        assert bare.id is not None
        stored_full = await uow.meetings.get(full.id)
        stored_bare = await uow.meetings.get(bare.id)
    assert stored_full is not None
    assert stored_full.join == full.join
    assert stored_full.join.sip == ("sip:556@video.example.com", "sip:556@10.0.0.5")
    assert stored_bare is not None
    assert stored_bare.join == JoinInfo()


@pytest.mark.parametrize("ref", ["{id}", "#{id}", " #{id} "])
async def test_find_in_chat_by_bridge_id(
    uow_factory: SqlUnitOfWorkFactory, make_meeting: MakeMeeting, chat: ChatRef, ref: str
) -> None:
    async with uow_factory() as uow:
        meeting = await uow.meetings.add(make_meeting("0000777"))
        await uow.commit()
    async with uow_factory() as uow:
        found = await uow.meetings.find_in_chat(chat, ref.format(id=meeting.id))
    assert found == meeting


async def test_find_in_chat_by_conference_id_keeps_leading_zeros(
    uow_factory: SqlUnitOfWorkFactory, make_meeting: MakeMeeting, chat: ChatRef
) -> None:
    async with uow_factory() as uow:
        zeros = await uow.meetings.add(make_meeting("0042"))
        plain = await uow.meetings.add(make_meeting("42"))
        await uow.commit()
    async with uow_factory() as uow:
        by_zeros = await uow.meetings.find_in_chat(chat, "0042")
        by_plain = await uow.meetings.find_in_chat(chat, "42")
        by_text = await uow.meetings.find_in_chat(chat, "0000042")
    assert by_zeros == zeros
    assert by_zeros is not None
    assert by_zeros.conference_id == "0042"
    # "42" is not a bridge id here (only #1 and #2 exist), so it is a conference id.
    assert by_plain == plain
    assert by_text is None


async def test_bridge_id_wins_over_a_numeric_conference_id(
    uow_factory: SqlUnitOfWorkFactory, make_meeting: MakeMeeting, chat: ChatRef
) -> None:
    async with uow_factory() as uow:
        first = await uow.meetings.add(make_meeting("9001"))
        await uow.meetings.add(make_meeting(str(first.id)))  # conference id "1"
        await uow.commit()
    async with uow_factory() as uow:
        found = await uow.meetings.find_in_chat(chat, str(first.id))
    assert found == first


async def test_find_in_chat_ignores_other_chats_and_unknown_refs(
    uow_factory: SqlUnitOfWorkFactory, make_meeting: MakeMeeting, chat: ChatRef, other_chat: ChatRef
) -> None:
    async with uow_factory() as uow:
        elsewhere = await uow.meetings.add(make_meeting("0099", chat=other_chat))
        await uow.commit()
    async with uow_factory() as uow:
        by_id = await uow.meetings.find_in_chat(chat, f"#{elsewhere.id}")
        by_conference = await uow.meetings.find_in_chat(chat, "0099")
        found_there = await uow.meetings.find_in_chat(other_chat, "0099")
        misses = [
            await uow.meetings.find_in_chat(chat, ref)
            for ref in ("", "   ", "#", "#0", "#abc", "99999999999999999999", "#2147483648")
        ]
    assert by_id is None
    assert by_conference is None
    assert found_there == elsewhere
    assert misses == [None] * 7


async def test_list_active_filters_by_chat_and_status_and_orders_by_id(
    uow_factory: SqlUnitOfWorkFactory, make_meeting: MakeMeeting, chat: ChatRef, other_chat: ChatRef
) -> None:
    async with uow_factory() as uow:
        first = await uow.meetings.add(make_meeting("3"))
        cancelled = await uow.meetings.add(make_meeting("2"))
        await uow.meetings.add(make_meeting("9", chat=other_chat))
        last = await uow.meetings.add(make_meeting("1"))
        await uow.meetings.save(cancelled.with_changes(status=MeetingStatus.CANCELLED))
        await uow.commit()
    async with uow_factory() as uow:
        active = await uow.meetings.list_active(chat)
        elsewhere = await uow.meetings.list_active(other_chat)
        nowhere = await uow.meetings.list_active(ChatRef("telegram", "", "-100"))
    assert [m.conference_id for m in active] == ["3", "1"]
    assert active == [first, last]
    assert [m.conference_id for m in elsewhere] == ["9"]
    assert nowhere == []


async def test_save_updates_fields_and_replaces_invitees(
    uow_factory: SqlUnitOfWorkFactory, make_meeting: MakeMeeting
) -> None:
    bob, carol, dave = Invitee("bob", "bob.b", "U0BOB"), Invitee("carol"), Invitee("dave", "d")
    async with uow_factory() as uow:
        meeting = await uow.meetings.add(make_meeting(invitees=(bob, carol)))
        await uow.commit()
    changed = meeting.with_changes(
        topic="Design review (moved)",
        invitees=(dave, bob),
        status=MeetingStatus.CANCELLED,
        join=JoinInfo(page_url="https://video.example.com/c/new"),
        duration=None,
    )
    async with uow_factory() as uow:
        await uow.meetings.save(changed)
        await uow.commit()
    async with uow_factory() as uow:
        assert meeting.id is not None
        stored = await uow.meetings.get(meeting.id)
        await uow.meetings.save(changed.with_changes(invitees=()))
        await uow.commit()
    async with uow_factory() as uow:
        emptied = await uow.meetings.get(meeting.id)
    # Each save is a new version of the calendar event: SEQUENCE 1, then 2.
    assert stored == changed.with_changes(sequence=1)
    assert stored is not None
    assert stored.invited_logins == ("d", "bob.b")
    assert emptied is not None
    assert emptied.invitees == ()
    assert emptied.sequence == 2
    assert emptied.uid == meeting.uid


async def test_save_of_an_unknown_meeting_is_an_error(
    uow_factory: SqlUnitOfWorkFactory, make_meeting: MakeMeeting
) -> None:
    async with uow_factory() as uow:
        with pytest.raises(NotFoundError):
            await uow.meetings.save(make_meeting().with_changes(id=4242))
        with pytest.raises(NotFoundError):
            await uow.meetings.save(make_meeting())


async def test_duplicate_backend_and_conference_id_is_a_conflict(
    uow_factory: SqlUnitOfWorkFactory, make_meeting: MakeMeeting, other_chat: ChatRef
) -> None:
    async with uow_factory() as uow:
        kept = await uow.meetings.add(make_meeting("0007"))
        # Same id on another backend is a different conference.
        callaba = await uow.meetings.add(make_meeting("0007", backend="callaba"))
        await uow.commit()
    async with uow_factory() as uow:
        with pytest.raises(ConflictError, match="0007"):
            await uow.meetings.add(make_meeting("0007", chat=other_chat))
        # The skipped insert leaves the unit of work usable after the conflict.
        also = await uow.meetings.add(make_meeting("0008"))
        await uow.commit()
    async with uow_factory() as uow:
        assert kept.id is not None
        assert callaba.id is not None
        assert also.id is not None
        assert await uow.meetings.get(also.id) == also
        assert [m.conference_id for m in await uow.meetings.list_active(other_chat)] == []


async def test_save_onto_another_meetings_conference_is_a_conflict(
    uow_factory: SqlUnitOfWorkFactory, make_meeting: MakeMeeting
) -> None:
    async with uow_factory() as uow:
        await uow.meetings.add(make_meeting("A"))
        second = await uow.meetings.add(make_meeting("B"))
        await uow.commit()
    async with uow_factory() as uow:
        with pytest.raises(ConflictError):
            await uow.meetings.save(second.with_changes(conference_id="A"))
    async with uow_factory() as uow:
        assert second.id is not None
        assert await uow.meetings.get(second.id) == second


async def test_created_at_is_kept_and_aware_utc(
    uow_factory: SqlUnitOfWorkFactory, make_meeting: MakeMeeting
) -> None:
    async with uow_factory() as uow:
        meeting = await uow.meetings.add(make_meeting())
        await uow.commit()
    async with uow_factory() as uow:
        assert meeting.id is not None
        stored = await uow.meetings.get(meeting.id)
    assert stored is not None
    assert stored.created_at == datetime(2026, 3, 1, 8, 15, 30, tzinfo=UTC)
    assert stored.created_at.tzinfo is UTC
