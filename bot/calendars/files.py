"""The calendar of a stored meeting: its event, the .ics file and the file's
name. One home for what ``/meet calendar`` and the public ``/ics`` link hand
out, so both say the same."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.calendars.event import CalendarEvent, calendar_event
from bot.calendars.ics import ics_file
from bot.context import Deps
from bot.i18n import Translator
from bot.meeting import Meeting

_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|;]+')
_NAME_MAX = 60


def meeting_event(meeting: Meeting, deps: Deps, t: Translator) -> CalendarEvent | None:
    """``None`` for a meeting started at once."""
    return calendar_event(
        meeting, t=t, host=deps.defaults.calendar_host, default_duration=deps.defaults.duration
    )


def file_name(meeting: Meeting) -> str:
    """The topic as a file name (what a person sees in their downloads)."""
    name = _UNSAFE.sub(" ", meeting.topic).strip(" .")[:_NAME_MAX].strip()
    return f"{name or f'meeting-{meeting.id}'}.ics"


@dataclass(frozen=True, slots=True)
class CalendarFile:
    name: str
    content: bytes
    uid: str  # the meeting's, which the public link is signed over


class CalendarFiles:
    """The .ics of a stored meeting, by its number, for the public link."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    async def file_of(self, meeting_id: int) -> CalendarFile | None:
        async with self._deps.uow(transaction=False) as uow:
            meeting = await uow.meetings.get(meeting_id)
            if meeting is None or not meeting.uid:
                return None
            settings = await uow.chat_settings.get(meeting.chat)
        t = Translator(settings.lang or self._deps.defaults.lang)
        event = meeting_event(meeting, self._deps, t)
        if event is None:
            return None
        content = ics_file(event, now=self._deps.clock.now())
        return CalendarFile(file_name(meeting), content, meeting.uid)
