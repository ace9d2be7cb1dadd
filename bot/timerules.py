"""Time rules: local wall-clock times to UTC instants, weekly rules to the
conference server's zone, and next occurrences.

Instants are stored in UTC; the IANA zone the person meant is kept beside them
so that wall-clock times survive DST changes.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.schedule import Instant, Once, Schedule, Weekday, Weekly


class UnknownZone(ValueError):
    def __init__(self, name: str) -> None:
        super().__init__(f"unknown time zone: {name!r}")
        self.name = name


class NonexistentLocalTime(ValueError):
    """The wall-clock time falls in a DST gap (clocks jump over it)."""

    def __init__(self, local: datetime, zone: str) -> None:
        super().__init__(f"{local:%Y-%m-%d %H:%M} does not exist in {zone}")
        self.local = local
        self.zone = zone


# Entries of the zone database that are not places: "localtime" depends on the
# host, "Factory" is a placeholder.
_NOT_ZONES = frozenset({"localtime", "Factory", "posixrules"})


def zone_info(name: str) -> ZoneInfo:
    """The ``ZoneInfo`` for an IANA name; raises ``UnknownZone`` for anything else."""
    if not name or name.startswith(("/", ".")) or ".." in name or name in _NOT_ZONES:
        raise UnknownZone(name)
    if name.startswith(("posix/", "right/")):
        raise UnknownZone(name)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, IsADirectoryError) as exc:
        raise UnknownZone(name) from exc


def canonical_zone(name: str) -> str | None:
    """The IANA zone ``name`` names, written as the database writes it
    (``europe/moscow`` -> ``Europe/Moscow``: people do not type its capitals);
    ``None``: no such zone."""
    known = zoneinfo.available_timezones()
    if name in known and is_valid_zone(name):
        return name
    wanted = name.lower()
    for zone in sorted(known):
        if zone.lower() == wanted and is_valid_zone(zone):
            return zone
    return None


def is_valid_zone(name: str) -> bool:
    try:
        zone_info(name)
    except UnknownZone:
        return False
    return True


def _exists(local: datetime) -> bool:
    """A naive-with-tzinfo local time exists when it survives a round trip through UTC."""
    round_trip = local.astimezone(UTC).astimezone(local.tzinfo)
    return round_trip.replace(tzinfo=None) == local.replace(tzinfo=None)


def local_to_utc(day: date, at: time, zone: str, *, strict: bool = True) -> datetime:
    """The UTC instant of a wall-clock time in ``zone``.

    Ambiguous times (the repeated hour when clocks go back) take the first
    occurrence. Times in a gap raise ``NonexistentLocalTime`` when ``strict``;
    otherwise they move forward by the gap, as calendar applications do.
    """
    tz = zone_info(zone)
    local = datetime.combine(day, at.replace(tzinfo=None), tzinfo=tz).replace(fold=0)
    if not _exists(local):
        if strict:
            raise NonexistentLocalTime(local, zone)
        # With fold=0 a gap time keeps the offset from before the jump, which
        # lands it past the gap (02:30 on a spring-forward night becomes 03:30).
        return local.astimezone(UTC)
    return local.astimezone(UTC)


def to_zone(instant: datetime, zone: str) -> datetime:
    return instant.astimezone(zone_info(zone))


def next_weekly_occurrence(rule: Weekly, after: datetime) -> datetime:
    """The first start of ``rule`` strictly after ``after`` (UTC in, UTC out)."""
    tz = zone_info(rule.zone)
    local_day = after.astimezone(tz).date()
    for offset in range(8):
        day = local_day + timedelta(days=offset)
        if Weekday(day.weekday()) not in rule.days:
            continue
        start = local_to_utc(day, rule.at, rule.zone, strict=False)
        if start > after:
            return start
    raise AssertionError("a weekly rule with days always occurs within 8 days")


def weekly_occurrences(rule: Weekly, after: datetime, count: int) -> list[datetime]:
    starts: list[datetime] = []
    cursor = after
    for _ in range(count):
        cursor = next_weekly_occurrence(rule, cursor)
        starts.append(cursor)
    return starts


def next_start(schedule: Schedule, after: datetime) -> datetime | None:
    """When the meeting next starts; ``None`` for instant meetings and past one-time ones."""
    match schedule:
        case Instant():
            return None
        case Once(start=start):
            return start if start > after else None
        case Weekly():
            return next_weekly_occurrence(schedule, after)


@dataclass(frozen=True, slots=True)
class ServerWeekly:
    """A weekly rule in the conference server's zone, as TrueConf's schedule wants it."""

    days: tuple[Weekday, ...]
    time: time
    offset_minutes: int

    @property
    def hhmm(self) -> str:
        return f"{self.time.hour:02d}:{self.time.minute:02d}"


def offset_minutes(zone: str, at: datetime) -> int:
    offset = at.astimezone(zone_info(zone)).utcoffset()
    assert offset is not None
    return int(offset.total_seconds() // 60)


def translation_shift(rule: Weekly, server_zone: str, occurrence: datetime) -> int:
    """Minutes a server-zone translation of ``rule`` adds to its time for
    ``occurrence`` (a start of ``rule``), so that the server, reading that
    wall-clock time in its zone (a time its clocks skip moved on, as here),
    starts it at that instant.

    Usually the two zones' offsets differ by it. At a start the rule's zone
    skips (a DST gap), which happens later than the rule says, a server in
    another zone needs the wall-clock time at which it does happen."""
    by_offsets = offset_minutes(server_zone, occurrence) - offset_minutes(rule.zone, occurrence)
    rule_wall = datetime.combine(occurrence.astimezone(zone_info(rule.zone)).date(), rule.at)
    server_wall = occurrence.astimezone(zone_info(server_zone)).replace(tzinfo=None)
    as_it_happens = int((server_wall - rule_wall).total_seconds() // 60)
    for shift in dict.fromkeys((by_offsets, as_it_happens)):
        wall = rule_wall + timedelta(minutes=shift)
        if local_to_utc(wall.date(), wall.time(), server_zone, strict=False) == occurrence:
            return shift
    # No weekly time names it (the server's repeated hour): the usual one.
    return by_offsets


def weekly_in_server_zone(rule: Weekly, server_zone: str, reference: datetime) -> ServerWeekly:
    """Translate ``rule`` into ``server_zone`` as it stands at its next occurrence
    after ``reference``.

    When the translation crosses midnight the days move with it (Monday 01:00 in
    Moscow is Sunday 22:00 in UTC). Zones whose DST rules differ make the
    translation change over the year; ``next_translation_change`` tells when.
    """
    first = next_weekly_occurrence(rule, reference)
    shift = translation_shift(rule, server_zone, first)
    minutes = rule.at.hour * 60 + rule.at.minute + shift
    day_shift, minute_of_day = divmod(minutes, 24 * 60)
    days = tuple(sorted(day.shifted(day_shift) for day in rule.days))
    return ServerWeekly(
        days=days,
        time=time(minute_of_day // 60, minute_of_day % 60),
        offset_minutes=offset_minutes(server_zone, first),
    )


def weekly_starts(rule: Weekly, after: datetime) -> Iterator[datetime]:
    """Every start of ``rule`` strictly after ``after``, in order (UTC)."""
    tz = zone_info(rule.zone)
    day = after.astimezone(tz).date()
    while True:
        if Weekday(day.weekday()) in rule.days:
            start = local_to_utc(day, rule.at, rule.zone, strict=False)
            if start > after:
                yield start
        day += timedelta(days=1)


def previous_weekly_occurrence(rule: Weekly, before: datetime) -> datetime:
    """The last start of ``rule`` strictly before ``before`` (UTC in, UTC out)."""
    tz = zone_info(rule.zone)
    local_day = before.astimezone(tz).date()
    for back in range(9):
        day = local_day - timedelta(days=back)
        if Weekday(day.weekday()) not in rule.days:
            continue
        start = local_to_utc(day, rule.at, rule.zone, strict=False)
        if start < before:
            return start
    raise AssertionError("a weekly rule with days occurs within every 8 days")


def weekly_translation_changes(
    rule: Weekly, server_zone: str, start: datetime, horizon: timedelta
) -> datetime | None:
    """The first occurrence within ``horizon`` whose server-zone translation differs
    from the one at ``start``: where a server-side rule would drift by an hour."""
    if server_zone == rule.zone:  # read in its own zone, a rule never drifts
        return None
    first = next_weekly_occurrence(rule, start)
    return _first_shift_other_than(
        translation_shift(rule, server_zone, first), rule, server_zone, start, start + horizon
    )


@dataclass(frozen=True, slots=True)
class TranslationChange:
    """An occurrence whose server-zone translation differs from the one of the
    occurrence before it: a server that keeps the rule in its own zone needs
    the new translation between ``previous`` and ``occurrence``."""

    occurrence: datetime
    previous: datetime
    # How many minutes later (negative: earlier) the unchanged server rule
    # would start ``occurrence`` than the rule does.
    drift_minutes: int


# Steps of the search for a change of the clocks: no zone changes its clocks
# twice within one, so equal offsets at both ends mean no change between.
_STEP = timedelta(days=7)
_LOOKBACK = timedelta(days=1)


def _offsets(zones: tuple[str, str], at: datetime) -> tuple[int, int]:
    return offset_minutes(zones[0], at), offset_minutes(zones[1], at)


def next_translation_change(
    rule: Weekly, server_zone: str, after: datetime, horizon: timedelta
) -> TranslationChange | None:
    """The first change at an occurrence after ``after`` (the very next one
    included, compared with the one before it), within ``horizon``; ``None``
    when the translation holds all that time (same zone, or zones whose
    clocks change together or never)."""
    if server_zone == rule.zone:
        return None
    previous = previous_weekly_occurrence(rule, after + timedelta(microseconds=1))
    before = translation_shift(rule, server_zone, previous)
    occurrence = _first_shift_other_than(before, rule, server_zone, after, after + horizon)
    if occurrence is None:
        return None
    shift = translation_shift(rule, server_zone, occurrence)
    last = previous_weekly_occurrence(rule, occurrence)
    return TranslationChange(occurrence, last, before - shift)


def _first_shift_other_than(
    shift: int, rule: Weekly, server_zone: str, after: datetime, end: datetime
) -> datetime | None:
    """The first start of ``rule`` after ``after`` and before ``end`` whose
    ``translation_shift`` is not ``shift``. Weeks in which neither zone
    changes its clocks are passed over on their offsets alone (a year of
    starts translated one by one cost milliseconds per command); only a
    week with a change has its starts translated."""
    zones = (rule.zone, server_zone)
    cursor = after
    while cursor < end:
        step_end = min(cursor + _STEP, end)
        here, there = _offsets(zones, cursor)
        # From a day before: a start just after a change (one its zone's
        # clocks skipped) is translated as it happens, not by the offsets.
        steady = _offsets(zones, cursor - _LOOKBACK) == (here, there) == _offsets(zones, step_end)
        if not steady or there - here != shift:
            for occurrence in weekly_starts(rule, cursor):
                if occurrence > step_end or occurrence >= end:
                    break
                if translation_shift(rule, server_zone, occurrence) != shift:
                    return occurrence
        cursor = step_end
    return None
