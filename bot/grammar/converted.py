"""A one-time meeting's time written in another zone: at a fixed offset
("tomorrow 15:00 UTC Review", "15:00 UTC+3", "15:00 по Гринвичу") or a
place's ("3pm London time", "15:00 по Москве"). The instant is plain, so the
line is offered again in the person's own zone, the date moved with the time
across midnight and the offset of that date's summer or winter time (of both
zones). Only offered: the meeting is not made from a line the person did not
write, nor the chat's zone changed for one meeting's sake."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo

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
    *,
    zone: str,
    line: str,
    once: OnceRead,
) -> GrammarError | None:
    """The answer to ``written`` at ``tokens[i]``: what the time is in
    ``zone``, with the line that says it there; ``None`` when the zone
    written keeps no one place's clocks ("EST"), or the time written never
    shows on them (skipped as they go forward): the zone's own answer then."""
    source = _clocks(written)
    if source is None:
        return None
    tz = zone_info(zone)
    wall = once.start.astimezone(tz)  # the time as written, read in the person's zone
    there = wall.replace(tzinfo=source, fold=0)
    if there.astimezone(UTC).astimezone(source).replace(tzinfo=None) != there.replace(tzinfo=None):
        return None
    local = there.astimezone(tz)
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


def _clocks(written: Written) -> tzinfo | None:
    if written.offset is not None:
        return timezone(written.offset)
    return None if written.zone is None else zone_info(written.zone)


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
