"""A reminder names the people of the meeting and carries its links; for a
Callaba room that is the speaker and the view-only link, and nothing else."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.chat import ChatRef, UserRef
from bot.meeting import Invitee, JoinInfo, Meeting
from bot.reminders.message import reminder_reply
from bot.reply import Capabilities, Links
from bot.schedule import Once

pytestmark = pytest.mark.timeout(30)

START = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
ROOM = "65380ec8a33be4cd87d03e4f"


def callaba_meeting() -> Meeting:
    return Meeting(
        backend="callaba",
        conference_id=ROOM,
        chat=ChatRef("console", "local", "team"),
        creator=UserRef("console", "local", "helen"),
        topic="Design review",
        schedule=Once(START, "Europe/Moscow"),
        duration=timedelta(hours=1),
        owner_login="",
        created_at=START - timedelta(days=1),
        join=JoinInfo(
            browser_url=f"https://rooms.example.com/conferences/{ROOM}",
            view_url=f"https://rooms.example.com/conferences-view-mode/{ROOM}",
        ),
        invitees=(Invitee("alice", user_id="U1"), Invitee("zed")),
        id=7,
    )


@pytest.mark.parametrize(("lang", "label"), [("en", "Invited"), ("ru", "Приглашены")])
def test_reminder_names_the_people_and_has_both_room_links(lang: str, label: str) -> None:
    reply = reminder_reply(
        callaba_meeting(),
        START,
        now=START - timedelta(minutes=10),
        zone="Europe/Moscow",
        lang=lang,  # type: ignore[arg-type]
        capabilities=Capabilities(),
    )

    text = reply.plain_text()
    assert f"{label}: alice, zed" in text
    urls = [link.url for b in reply.blocks if isinstance(b, Links) for link in b.items]
    assert urls == [
        f"https://rooms.example.com/conferences/{ROOM}",
        f"https://rooms.example.com/conferences-view-mode/{ROOM}",
    ]
    for absent in ("SIP", "H.323", "trueconf:"):
        assert absent not in text


def test_a_reminder_without_people_has_no_empty_line() -> None:
    meeting = callaba_meeting().with_changes(invitees=())

    reply = reminder_reply(
        meeting,
        START,
        now=START - timedelta(minutes=10),
        zone="UTC",
        lang="en",
        capabilities=Capabilities(),
    )

    assert "Invited" not in reply.plain_text()
