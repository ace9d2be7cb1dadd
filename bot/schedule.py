"""When a meeting happens: instant, once, or weekly, in the zone the person meant."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import IntEnum


class Weekday(IntEnum):
    """ISO-ordered weekdays (Monday = 0, as ``datetime.weekday()``)."""

    MONDAY = 0
    TUESDAY = 1
    WEDNESDAY = 2
    THURSDAY = 3
    FRIDAY = 4
    SATURDAY = 5
    SUNDAY = 6

    @property
    def api_name(self) -> str:
        """The lowercase English name TrueConf's ``days`` list uses."""
        return self.name.lower()

    def shifted(self, days: int) -> Weekday:
        return Weekday((self.value + days) % 7)


WEEKDAYS = frozenset(
    {Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY}
)
ALL_DAYS = frozenset(Weekday)


@dataclass(frozen=True, slots=True)
class Instant:
    """Start at once."""


@dataclass(frozen=True, slots=True)
class Once:
    """A one-time meeting. ``start`` is aware and in UTC; ``zone`` is the IANA zone
    the person meant, kept so the meeting can be shown and reminded in it."""

    start: datetime
    zone: str

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.start.utcoffset() != timedelta(0):
            raise ValueError("Once.start must be an aware UTC datetime")


@dataclass(frozen=True, slots=True)
class Weekly:
    """A weekly meeting at ``at`` local time in ``zone`` on ``days``."""

    days: frozenset[Weekday]
    at: time
    zone: str

    def __post_init__(self) -> None:
        if not self.days:
            raise ValueError("Weekly needs at least one day")
        if self.at.tzinfo is not None:
            raise ValueError("Weekly.at is a wall-clock time without tzinfo")

    @property
    def sorted_days(self) -> tuple[Weekday, ...]:
        return tuple(sorted(self.days))


Schedule = Instant | Once | Weekly
