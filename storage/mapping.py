"""Rows <-> core dataclasses. Pure functions: no session, no I/O."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import Row

from bot.chat import ChatRef, Platform, UserRef
from bot.meeting import Invitee, JoinInfo, LiveState, Meeting, MeetingStatus
from bot.schedule import Instant, Once, Schedule, Weekday, Weekly
from storage.models import InviteeRow, MeetingRow

# A messenger's name as the edges spell them (slack, telegram, trueconf_chat, …).
_PLATFORM = re.compile(r"[a-z][a-z0-9_]{0,31}")
_DAY_BY_NAME = {day.api_name[:3]: day for day in Weekday}


def platform(value: str) -> Platform:
    if not _PLATFORM.fullmatch(value):
        raise ValueError(f"not a platform name in storage: {value!r}")
    return value


# A meeting's columns: its ORM row, or a Core row of the meetings table.
MeetingColumns = MeetingRow | Row[Any]


def chat_of(row: MeetingColumns) -> ChatRef:
    return ChatRef(platform(row.platform), row.workspace_id, row.chat_id)


def creator_of(row: MeetingColumns) -> UserRef:
    return UserRef(
        platform(row.creator_platform),
        row.creator_workspace_id,
        row.creator_user_id,
        row.creator_name,
    )


def format_days(days: frozenset[Weekday]) -> str:
    """``{MONDAY, WEDNESDAY}`` -> ``"mon,wed"`` (always Monday-first)."""
    return ",".join(day.api_name[:3] for day in sorted(days))


def parse_days(text: str) -> frozenset[Weekday]:
    unknown = [name for name in text.split(",") if name not in _DAY_BY_NAME]
    if unknown:  # as an incomplete schedule is: a row storage cannot read
        raise ValueError(f"not a day name in storage: {unknown[0]!r}")
    return frozenset(_DAY_BY_NAME[name] for name in text.split(","))


def format_time(at: time) -> str:
    """``HH:MM``, or ``HH:MM:SS[.ffffff]`` when there is more, so nothing is lost."""
    if at.second == 0 and at.microsecond == 0:
        return at.isoformat(timespec="minutes")
    return at.isoformat()


def schedule_columns(schedule: Schedule) -> dict[str, Any]:
    # Every schedule column is written, so a changed kind leaves no stale field.
    columns: dict[str, Any] = dict.fromkeys(("start_utc", "weekly_days", "weekly_time", "zone"))
    match schedule:
        case Instant():
            columns["schedule_kind"] = "instant"
        case Once(start=start, zone=zone):
            columns.update(schedule_kind="once", start_utc=start, zone=zone)
        case Weekly(days=days, at=at, zone=zone):
            columns.update(
                schedule_kind="weekly",
                weekly_days=format_days(days),
                weekly_time=format_time(at),
                zone=zone,
            )
    return columns


def schedule_of(row: MeetingColumns) -> Schedule:
    match row.schedule_kind:
        case "instant":
            return Instant()
        case "once" if row.start_utc is not None and row.zone is not None:
            return Once(start=row.start_utc, zone=row.zone)
        case "weekly" if row.weekly_days and row.weekly_time and row.zone is not None:
            return Weekly(
                days=parse_days(row.weekly_days),
                at=time.fromisoformat(row.weekly_time),
                zone=row.zone,
            )
    raise ValueError(f"meeting {row.id}: incomplete {row.schedule_kind!r} schedule in storage")


def meeting_columns(meeting: Meeting, *, now: datetime) -> dict[str, Any]:
    """Every stored field of ``meeting`` by column (not id, invitees or created_at)."""
    join = meeting.join
    return {
        "backend": meeting.backend,
        "conference_id": meeting.conference_id,
        "chat_key": meeting.chat.key,
        "platform": meeting.chat.platform,
        "workspace_id": meeting.chat.workspace_id,
        "chat_id": meeting.chat.chat_id,
        "creator_key": meeting.creator.key,
        "creator_platform": meeting.creator.platform,
        "creator_workspace_id": meeting.creator.workspace_id,
        "creator_user_id": meeting.creator.user_id,
        "creator_name": meeting.creator.display_name,
        "topic": meeting.topic,
        **schedule_columns(meeting.schedule),
        "duration_seconds": (
            None if meeting.duration is None else round(meeting.duration.total_seconds())
        ),
        "owner_login": meeting.owner_login,
        "page_url": join.page_url,
        "browser_url": join.browser_url,
        "app_deeplink": join.app_deeplink,
        "android_intent": join.android_intent,
        "sip": list(join.sip),
        "sip_external": join.sip_external,
        "h323": list(join.h323),
        "view_url": join.view_url,
        "status": meeting.status.value,
        "reminder_offsets": [round(o.total_seconds()) for o in meeting.reminders],
        "uid": meeting.uid,
        "live_state": meeting.state.value,
        "state_since": meeting.state_since,
        "people_in": meeting.people_in,
        "updated_at": now,
    }


def apply_meeting(row: MeetingRow, meeting: Meeting, *, now: datetime) -> None:
    """Copy every stored field of ``meeting`` onto ``row`` (not id, invitees or created_at)."""
    for column, value in meeting_columns(meeting, now=now).items():
        setattr(row, column, value)


def invitee_columns(invitees: tuple[Invitee, ...]) -> list[dict[str, Any]]:
    return [
        {"position": n, "handle": i.handle, "login": i.login, "user_id": i.user_id}
        for n, i in enumerate(invitees)
    ]


def invitee_rows(invitees: tuple[Invitee, ...]) -> list[InviteeRow]:
    return [InviteeRow(**columns) for columns in invitee_columns(invitees)]


def meeting_of(row: MeetingColumns, invitees: Iterable[Invitee] | None = None) -> Meeting:
    """The meeting of ``row``, with ``invitees`` (read apart from it), else
    those its ORM row loaded."""
    if invitees is None:
        invitees = (Invitee(i.handle, i.login, i.user_id) for i in row.invitees)
    return Meeting(
        id=row.id,
        backend=row.backend,
        conference_id=row.conference_id,
        chat=chat_of(row),
        creator=creator_of(row),
        topic=row.topic,
        schedule=schedule_of(row),
        duration=None if row.duration_seconds is None else timedelta(seconds=row.duration_seconds),
        owner_login=row.owner_login,
        created_at=row.created_at,
        join=JoinInfo(
            page_url=row.page_url,
            browser_url=row.browser_url,
            app_deeplink=row.app_deeplink,
            android_intent=row.android_intent,
            sip=tuple(row.sip),
            sip_external=row.sip_external,
            h323=tuple(row.h323),
            view_url=row.view_url,
        ),
        invitees=tuple(invitees),
        status=MeetingStatus(row.status),
        reminders=tuple(timedelta(seconds=s) for s in row.reminder_offsets or ()),
        uid=row.uid,
        sequence=row.sequence,
        state=LiveState(row.live_state),
        state_since=row.state_since,
        people_in=row.people_in,
    )
