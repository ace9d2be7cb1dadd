"""Dates, durations and day lists in the reader's language and zone."""

from __future__ import annotations

from datetime import datetime, timedelta

from babel.dates import format_datetime

from bot.chat import Lang
from bot.i18n import Translator
from bot.schedule import ALL_DAYS, WEEKDAYS, Weekday, Weekly
from bot.timerules import zone_info


def when(instant: datetime, zone: str, lang: Lang) -> str:
    """``Mon 30 Nov 2026, 10:00 (Europe/Moscow)`` in the reader's language."""
    local = instant.astimezone(zone_info(zone))
    text = format_datetime(local, "EEE d MMM y, HH:mm", locale=lang)
    return f"{text} ({zone})"


def duration(value: timedelta, t: Translator) -> str:
    minutes = int(value.total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return t("unit.hours_minutes", hours=hours, minutes=rest)
    if hours:
        return t("unit.hours", hours=hours)
    return t("unit.minutes", minutes=rest)


def day_list(days: frozenset[Weekday], t: Translator) -> str:
    if days == ALL_DAYS:
        return t("days.daily")
    if days == WEEKDAYS:
        return t("days.weekdays")
    return ", ".join(t(f"day.{day.api_name}") for day in sorted(days))


def weekly_rule(rule: Weekly, t: Translator) -> str:
    return t(
        "schedule.weekly_rule",
        days=day_list(rule.days, t),
        time=f"{rule.at.hour:02d}:{rule.at.minute:02d}",
        zone=rule.zone,
    )
