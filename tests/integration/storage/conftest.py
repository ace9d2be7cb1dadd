"""Builders for storage tests. Fixtures rather than a helper module, so no
test imports another test file."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from bot.chat import ChatRef, UserRef
from bot.meeting import Invitee, JoinInfo, Meeting
from bot.schedule import Instant, Schedule

MakeMeeting = Callable[..., Meeting]

CHAT = ChatRef("slack", "T0001", "C0001")
OTHER_CHAT = ChatRef("slack", "T0001", "C0002")
ALICE = UserRef("slack", "T0001", "U0ALICE", "Alice Adams")


@pytest.fixture
def chat() -> ChatRef:
    return CHAT


@pytest.fixture
def other_chat() -> ChatRef:
    return OTHER_CHAT


@pytest.fixture
def alice() -> UserRef:
    return ALICE


@pytest.fixture
def make_meeting() -> MakeMeeting:
    """``make_meeting(conference_id="0042", chat=..., schedule=..., ...)`` -> an unsaved Meeting."""

    def make(
        conference_id: str = "0000123",
        *,
        chat: ChatRef = CHAT,
        schedule: Schedule | None = None,
        invitees: tuple[Invitee, ...] = (),
        backend: str = "trueconf",
        topic: str = "Design review",
        duration: timedelta | None = timedelta(minutes=30),
    ) -> Meeting:
        return Meeting(
            backend=backend,
            conference_id=conference_id,
            chat=chat,
            creator=ALICE,
            topic=topic,
            schedule=schedule if schedule is not None else Instant(),
            duration=duration,
            owner_login="alice",
            created_at=datetime(2026, 3, 1, 8, 15, 30, tzinfo=UTC),
            uid=str(uuid.uuid4()),
            join=JoinInfo(
                page_url=f"https://video.example.com/c/{conference_id}",
                browser_url=f"https://video.example.com/webrtc/{conference_id}",
                app_deeplink=f"trueconf:c/{conference_id}@video.example.com%23vcs",
                android_intent=f"intent://c/{conference_id}#Intent;scheme=trueconf;end",
                sip=(f"sip:{conference_id}@video.example.com", f"sip:{conference_id}@10.0.0.5"),
                sip_external=f"sip:{conference_id}@sip.example.com",
                h323=(f"h323:{conference_id}@video.example.com",),
            ),
            invitees=invitees,
        )

    return make
