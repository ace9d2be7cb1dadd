"""A one-time meeting's time written at a fixed offset ("tomorrow 15:00 UTC
Review", "15:00 UTC+3", "15:00 по Гринвичу"): the instant is plain, so the
line is offered again in the person's own zone, the date moved with the time
across midnight and the offset of that date's summer or winter time. Only
offered: the meeting is not made from a line the person did not write."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from bot.grammar import keys
from bot.grammar.errors import GrammarError
from bot.grammar.tokens import Token
from bot.grammar.zones import Written
from bot.timerules import local_to_utc, zone_info


@dataclass(frozen=True, slots=True)
class OnceRead:
    """A one-time schedule at the start of the tokens a tail follows: its
    start as read in the person's zone (UTC), where it ends, the duration it
    gave, and the moment the line was read."""

    start: datetime
    end: int
    duration: timedelta | None
    now: datetime


def _cyrillic(text: str) -> bool:
    return any("\u0400" <= char <= "\u04ff" for char in text)


def converted(
    tokens: tuple[Token, ...],
    i: int,
    written: Written,
    offset: timedelta,
    *,
    zone: str,
    line: str,
    once: OnceRead,
) -> GrammarError:
    """The answer to ``written`` at ``tokens[i]``, at ``offset``: what the
    time is in ``zone``, with the line that says it there."""
    tz = zone_info(zone)
    wall = once.start.astimezone(tz)  # the time as written, read in the person's zone
    local = wall.replace(tzinfo=timezone(offset)).astimezone(tz)
    shown = f"{local:%H:%M}" if local.date() == wall.date() else f"{local:%Y-%m-%d %H:%M}"
    params = {
        "word": " ".join(t.text for t in tokens[i : written.end]),
        "time": f"{wall:%H:%M}",
        "local": shown,
        "zone": zone,
    }
    suggestion = ""
    # The repeated hour of a clock going back reads as its first: offered
    # only when the line means the instant.
    if line and local_to_utc(local.date(), local.time(), zone) == local:
        suggestion = _line(tokens, i, written=written, line=line, once=once, local=local)
    return GrammarError(keys.ZONE_CONVERTED, keys.EX_TZ_HELP, suggestion=suggestion, **params)


def _line(
    tokens: tuple[Token, ...],
    i: int,
    *,
    written: Written,
    line: str,
    once: OnceRead,
    local: datetime,
) -> str:
    """The line with its schedule written out in the person's zone and the
    zone left out; the words around them as typed."""
    schedule = line[tokens[0].start : tokens[once.end - 1].end]
    # The schedule's language, else the line's ("15:00 UTC Обзор").
    russian = _cyrillic(schedule) or (not any(c.isalpha() for c in schedule) and _cyrillic(line))
    today = once.now.astimezone(local.tzinfo).date()
    if local.date() == today:
        day = "сегодня" if russian else "today"
    elif local.date() == today + timedelta(days=1):
        day = "завтра" if russian else "tomorrow"
    else:
        day = local.date().isoformat()
    parts = [line[: tokens[0].start], f"{day} {local:%H:%M}"]
    if once.duration is not None:
        minutes = once.duration // timedelta(minutes=1)
        parts.append(f"на {minutes}м" if russian else f"for {minutes}m")
    if once.end < i:
        parts.append(line[tokens[once.end].start : tokens[i].start])
    if written.end < len(tokens):
        parts.append(line[tokens[written.end].start :])
    return " ".join(part.strip() for part in parts if part.strip())
