"""``/ics/<token>.ics`` served by ``meetbridge serve``: the bridge's own
calendar of a stored meeting, signed, with no conference server involved."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import httpx
import pytest

from adapters.http.calendar_feed import CalendarFeedLinks
from bot.chat import ChatRef, UserRef
from bot.meeting import JoinInfo, Meeting
from bot.schedule import Weekday, Weekly
from tests.support.ics import only_event
from tests.support.serve import ServeProcess
from tests.support.stored import store

pytestmark = pytest.mark.timeout(60)

SECRET = "calendar-feed-test-secret"
PUBLIC = "https://bridge.example.com"
CHAT = ChatRef("telegram", "", "-100")


def _meeting() -> Meeting:
    return Meeting(
        backend="trueconf",
        conference_id="no-such-conference-on-any-server",
        chat=CHAT,
        creator=UserRef("telegram", "", "7", "ann"),
        topic="Планёрка / R&D",
        schedule=Weekly(frozenset({Weekday.TUESDAY}), time(9, 30), "Europe/Moscow"),
        duration=timedelta(minutes=30),
        owner_login="admin",
        created_at=datetime(2026, 11, 23, 8, 0, tzinfo=UTC),
        join=JoinInfo(page_url="https://video.example.com/c/0042"),
        uid=str(uuid.uuid4()),
    )


def _local(url: str, served: ServeProcess) -> str:
    return served.url(url.removeprefix(PUBLIC))


def test_ics_link_serves_the_bridges_calendar_and_refuses_the_rest(tmp_path: Path) -> None:
    database = f"sqlite+aiosqlite:///{tmp_path / 'serve.db'}"
    [meeting] = asyncio.run(store(database, _meeting()))
    links = CalendarFeedLinks(PUBLIC, SECRET.encode())
    url = links.ics_url(meeting)
    assert url.startswith(f"{PUBLIC}/ics/{meeting.id}-")
    assert url.endswith(".ics")
    env = {"PUBLIC_URL": PUBLIC, "LINK_SECRET": SECRET, "DATABASE_URL": database}
    with ServeProcess(env=env, cwd=tmp_path) as served:
        answer = httpx.get(_local(url, served), timeout=5)
        assert answer.status_code == 200
        assert answer.headers["content-type"] == "text/calendar; charset=utf-8"
        disposition = answer.headers["content-disposition"]
        assert disposition.startswith('attachment; filename="')
        assert "filename*=UTF-8''%D0%9F%D0%BB%D0%B0%D0%BD" in disposition  # "Планёрка"
        assert "/" not in disposition.split("filename*=")[1]
        event = only_event(answer.content)
        assert event.uid == f"{meeting.uid}@bridge.example.com"
        assert event.status == "CONFIRMED"
        assert event["DTSTART"].params["TZID"] == "Europe/Moscow"
        # HEAD, as calendar programs ask before they subscribe.
        assert httpx.head(_local(url, served), timeout=5).status_code == 200

        # The same link after the meeting is cancelled: a calendar that
        # subscribed learns it (a higher SEQUENCE, STATUS:CANCELLED).
        asyncio.run(store(database, cancel=meeting))
        again = httpx.get(_local(url, served), timeout=5)
        cancelled = only_event(again.content)
        assert cancelled.status == "CANCELLED"
        assert cancelled.sequence > event.sequence

        token = url.rsplit("/", 1)[1]
        number, signature = token.removesuffix(".ics").split("-")
        hostile = [
            f"/ics/{int(number) + 1}-{signature}.ics",  # another meeting, this signature
            f"/ics/{number}-{'0' * 32}.ics",
            f"/ics/{number}-{signature.upper()}.ics",
            f"/ics/{number}-{signature}",
            f"/ics/{number}.ics",
            "/ics/99999999999999999999-" + signature + ".ics",
            f"/ics/0-{signature}.ics",
            f"/ics/-1-{signature}.ics",
            "/ics/%00.ics",
            "/ics/..%2F..%2Fetc%2Fpasswd",
            "/ics/" + "9" * 5000 + ".ics",
            f"/ics/{number}-{signature}%E2%80%8B.ics",
            "/ics/",
            _local(CalendarFeedLinks(PUBLIC, b"another key").ics_url(meeting), served).split(
                str(served.port), 1
            )[1],
        ]
        for path in hostile:
            status = httpx.get(served.url(path), timeout=5).status_code
            assert 400 <= status < 500, (path, status)
        assert httpx.post(_local(url, served), timeout=5).status_code == 405


def test_ics_route_is_absent_without_a_public_url(tmp_path: Path) -> None:
    database = f"sqlite+aiosqlite:///{tmp_path / 'serve.db'}"
    [meeting] = asyncio.run(store(database, _meeting()))
    url = CalendarFeedLinks(PUBLIC, SECRET.encode()).ics_url(meeting)
    env = {"LINK_SECRET": SECRET, "DATABASE_URL": database}
    with ServeProcess(env=env, cwd=tmp_path) as served:
        assert httpx.get(_local(url, served), timeout=5).status_code == 404
