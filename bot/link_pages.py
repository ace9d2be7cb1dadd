"""What the page behind an app link says about its meeting: the topic, when
it is (in the chat's zone), and whether it was cancelled. Read afresh at each
visit, so an edited or cancelled meeting's old links say so."""

from __future__ import annotations

from dataclasses import dataclass

from bot.cards import when_text
from bot.chat import Lang
from bot.context import Deps
from bot.i18n import Translator
from bot.meeting import MeetingStatus
from bot.schedule import Instant


@dataclass(frozen=True, slots=True)
class LinkPage:
    meeting_id: int
    topic: str
    when: str
    cancelled: bool


class LinkPages:
    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    async def page_of(self, meeting_id: int, lang: Lang) -> LinkPage | None:
        async with self._deps.uow(transaction=False) as uow:
            meeting = await uow.meetings.get(meeting_id)
            if meeting is None:
                return None
            settings = await uow.chat_settings.get(meeting.chat)
        schedule = meeting.schedule
        meant = None if isinstance(schedule, Instant) else schedule.zone
        zone = settings.zone or meant or self._deps.defaults.zone
        when = when_text(
            meeting, t=Translator(lang), zone=zone, lang=lang, now=self._deps.clock.now()
        )
        return LinkPage(meeting_id, meeting.topic, when, meeting.status is MeetingStatus.CANCELLED)
