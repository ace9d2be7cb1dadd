"""What a parse needs besides the text: the moment, the person's zone, the
mentions the messenger resolved and the help topics the catalogue declares.
Passed explicitly; the grammar keeps no state."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from bot.chat import Mention
from bot.grammar import keys
from bot.grammar.errors import GrammarError
from bot.timerules import NonexistentLocalTime, UnknownZone, local_to_utc, zone_info


@dataclass(frozen=True, slots=True)
class Context:
    now: datetime  # aware, UTC
    zone: str  # the person's IANA zone
    mentions: tuple[Mention, ...] = ()
    # The words ``help <word>`` knows, and the topic each leads to.
    help_topics: Mapping[str, str] = field(default_factory=dict)
    line: str = ""  # the cleaned line the tokens point into

    def tz(self, example: str) -> ZoneInfo:
        try:
            return zone_info(self.zone)
        except UnknownZone:
            raise GrammarError(keys.UNKNOWN_ZONE, example, name=self.zone) from None

    def today(self, example: str) -> date:
        return self.now.astimezone(self.tz(example)).date()

    def to_utc(self, day: date, at: time, example: str, *, word: str) -> datetime:
        """A one-time start: the wall-clock time in the person's zone, as UTC,
        strictly in the future. ``word`` is how the person wrote it."""
        when = f"{day.isoformat()} {at:%H:%M}"
        try:
            start = local_to_utc(day, at, self.zone, strict=True)
        except NonexistentLocalTime:
            raise GrammarError(
                keys.NONEXISTENT_TIME, example, word=word, when=when, zone=self.zone
            ) from None
        except UnknownZone:
            raise GrammarError(keys.UNKNOWN_ZONE, example, name=self.zone) from None
        except OverflowError:
            # Only year 1 or 9999 get here; neither is a meeting anyone plans.
            raise GrammarError(keys.BAD_DATE, example, word=day.isoformat()) from None
        if start <= self.now.astimezone(UTC):
            if word == when:  # typed as it reads back: say it once
                raise GrammarError(keys.TIME_PASSED, example, when=when)
            raise GrammarError(
                keys.TIME_IN_PAST, example, suggestion=self._tomorrow(word), word=word, when=when
            )
        return start

    def _tomorrow(self, word: str) -> str:
        """The line with a "today" that has passed made "tomorrow" (the same
        time is then ahead): its topic and people kept in the example. ``""``
        for any other passed time."""
        first, _, rest = word.partition(" ")
        later = _TOMORROW.get(first.casefold())
        at = self.line.find(word)
        if later is None or at < 0:
            return ""
        return f"{self.line[:at]}{later} {rest}{self.line[at + len(word) :]}".strip()


_TOMORROW = {"today": "tomorrow", "сегодня": "завтра"}
