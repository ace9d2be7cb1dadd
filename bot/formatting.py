"""Dates, durations and day lists in the reader's language and zone."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache

from babel.dates import get_day_names, get_month_names

from bot.chat import Lang
from bot.i18n import Translator
from bot.schedule import ALL_DAYS, WEEKDAYS, Weekday, Weekly
from bot.timerules import zone_info


@cache
def _short_names(lang: Lang) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The language's abbreviated weekdays (Monday first) and months, as
    babel's ``EEE`` and ``MMM`` write them: read once, not per date (babel's
    ``format_datetime`` looked them up field by field, a tenth of a
    millisecond per date, twenty dates a ``list``)."""
    days = get_day_names("abbreviated", context="format", locale=lang)
    months = get_month_names("abbreviated", context="format", locale=lang)
    return tuple(days[d] for d in range(7)), tuple(months[m] for m in range(1, 13))


def when(instant: datetime, zone: str, lang: Lang) -> str:
    """``Mon 30 Nov 2026, 10:00 (Europe/Moscow)`` in the reader's language
    (babel's pattern ``EEE d MMM y, HH:mm``)."""
    local = instant.astimezone(zone_info(zone))
    days, months = _short_names(lang)
    day, month = days[local.weekday()], months[local.month - 1]
    return f"{day} {local.day} {month} {local.year}, {local.hour:02d}:{local.minute:02d} ({zone})"


def duration(value: timedelta, t: Translator) -> str:
    minutes = int(value.total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return t("unit.hours_minutes", hours=hours, minutes=rest)
    if hours:
        return t("unit.hours", hours=hours)
    return t("unit.minutes", minutes=rest)


def offset(value: timedelta, t: Translator) -> str:
    """A reminder's offset as people give it: whole days in days ("2 days",
    "за 2 дня"), not "48 h"; anything else as a duration."""
    if value >= timedelta(days=1) and value % timedelta(days=1) == timedelta(0):
        return t.plural("unit.days", value.days)
    return duration(value, t)


def day_list(days: frozenset[Weekday], t: Translator) -> str:
    if days == ALL_DAYS:
        return t("days.daily")
    if days == WEEKDAYS:
        return t("days.weekdays")
    return ", ".join(t(f"day.{day.api_name}") for day in sorted(days))


def weekly_seen_from(rule: Weekly, start: datetime, zone: str) -> Weekly:
    """The rule as it reads in ``zone`` at its occurrence ``start``: its
    time there, the days moved with a time that crosses midnight. Only that
    week's: the two zones' clocks may change on different days."""
    here = start.astimezone(zone_info(zone))
    there = start.astimezone(zone_info(rule.zone))
    moved = (here.date() - there.date()).days
    days = frozenset(day.shifted(moved) for day in rule.days)
    return Weekly(days, here.time().replace(tzinfo=None, second=0, microsecond=0), zone)


def weekly_rule(rule: Weekly, t: Translator) -> str:
    return t(
        "schedule.weekly_rule",
        days=day_list(rule.days, t),
        time=f"{rule.at.hour:02d}:{rule.at.minute:02d}",
        zone=rule.zone,
    )
