"""A question's choices kept for its buttons: each reading as a command, written
to JSON and back, so that a press runs exactly the meeting it showed.

A button carries at most 64 bytes, too few for a new meeting's topic and
people; the choices wait instead in the store of one-time private payloads
(``PrivateParcels``), for the person who asked alone, in the chat they asked
in, and only for a while; the button carries the key to them and the
reading's number.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import datetime, time, timedelta
from typing import Any

from bot.chat import ChatRef, Mention
from bot.commands import EditMeeting, NewMeeting
from bot.schedule import Instant, Once, Schedule, Weekday, Weekly

KEEP_FOR = timedelta(minutes=30)  # long enough to answer, short enough to forget


def new_key() -> str:
    """A key a button can carry (plain word characters), hard to guess."""
    return secrets.token_hex(10)


def stored_key(key: str, chat: ChatRef) -> str:
    """What the store keeps: a digest, so the store alone cannot press a
    button. It names the chat asked in: a press from any other chat (the
    person's private chat, another group) finds nothing, so the meeting is
    never made where it was not asked for."""
    return hashlib.sha256(f"choice:{chat.key}:{key}".encode()).hexdigest()


Reading = NewMeeting | EditMeeting


def dump(choices: tuple[Reading, ...]) -> str:
    return json.dumps(
        [_meeting(c) if isinstance(c, NewMeeting) else _edit(c) for c in choices],
        ensure_ascii=False,
    )


def load(payload: str) -> tuple[Reading, ...]:
    """The choices ``dump`` wrote; ``ValueError`` for anything else."""
    try:
        return tuple(
            _read_edit(item) if "edit" in item else _new_meeting(item)
            for item in json.loads(payload)
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError("not a stored choice") from exc


def _edit(command: EditMeeting) -> dict[str, Any]:
    schedule = command.schedule
    return {
        "edit": command.meeting_ref,
        "schedule": None if schedule is None else _schedule(schedule),
        "at": None if command.at is None else command.at.isoformat(),
        "minutes": _minutes(command.duration),
        "topic": command.topic,
        "days": None if command.days is None else sorted(day.value for day in command.days),
    }


def _read_edit(item: dict[str, Any]) -> EditMeeting:
    schedule, at, topic, days = item["schedule"], item["at"], item["topic"], item["days"]
    return EditMeeting(
        str(item["edit"]),
        schedule=None if schedule is None else _read_schedule(schedule),
        at=None if at is None else time.fromisoformat(at),
        duration=None if item["minutes"] is None else timedelta(minutes=item["minutes"]),
        topic=None if topic is None else str(topic),
        days=None if days is None else frozenset(Weekday(day) for day in days),
    )


def _meeting(command: NewMeeting) -> dict[str, Any]:
    offsets = command.reminder_offsets
    return {
        "schedule": _schedule(command.schedule),
        "minutes": _minutes(command.duration),
        "topic": command.topic,
        "invitees": [[m.handle, m.user_id, m.email] for m in command.invitees],
        "reminders": None if offsets is None else [_minutes(o) for o in offsets],
    }


def _new_meeting(item: dict[str, Any]) -> NewMeeting:
    reminders = item["reminders"]
    return NewMeeting(
        schedule=_read_schedule(item["schedule"]),
        duration=None if item["minutes"] is None else timedelta(minutes=item["minutes"]),
        topic=str(item["topic"]),
        invitees=tuple(Mention(*person) for person in item["invitees"]),
        reminder_offsets=None
        if reminders is None
        else tuple(timedelta(minutes=m) for m in reminders),
    )


def _minutes(value: timedelta | None) -> int | None:
    return None if value is None else int(value.total_seconds() // 60)


def _schedule(schedule: Schedule) -> dict[str, Any]:
    if isinstance(schedule, Once):
        return {"once": schedule.start.isoformat(), "zone": schedule.zone}
    if isinstance(schedule, Weekly):
        days = sorted(day.value for day in schedule.days)
        return {"weekly": days, "at": schedule.at.isoformat(), "zone": schedule.zone}
    return {"now": True}


def _read_schedule(item: dict[str, Any]) -> Schedule:
    if "once" in item:
        return Once(datetime.fromisoformat(item["once"]), str(item["zone"]))
    if "weekly" in item:
        days = frozenset(Weekday(day) for day in item["weekly"])
        return Weekly(days, time.fromisoformat(item["at"]), str(item["zone"]))
    return Instant()
