"""The schedule phrase at the start of a new meeting: ``now``, one-time
(``tomorrow 15:00``, ``1 dec 09:30``, ``mon 10:00``, ``at 15:00``, ``in 2h``)
or weekly (``weekly mon,wed 10:00``, ``daily 09:00``, ``по будням в 9:00``)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, time, timedelta

from bot.grammar import keys
from bot.grammar.context import Context
from bot.grammar.dates import read_date
from bot.grammar.days import DaysRead, is_day_word, read_days, unknown_fragment
from bot.grammar.durations import DAY, read_duration
from bot.grammar.errors import GrammarError
from bot.grammar.times import looks_like_time, read_time
from bot.grammar.tokens import Kind, Token
from bot.schedule import ALL_DAYS, WEEKDAYS, Instant, Once, Schedule, Weekday, Weekly

NOW_WORDS = frozenset({"now", "сейчас"})
ONCE_WORDS = frozenset({"once", "разово", "однажды", "единожды"})
IN_WORDS = frozenset({"in", "через"})
WEEKLY_PHRASES = frozenset({("weekly",), ("еженедельно",), ("every", "week"), ("каждую", "неделю")})
EVERY_WORDS = frozenset({"every", "each", "каждый", "каждую", "каждое", "по"})
# Words before a date ("on monday", "в пятницу", "на завтра") or a time ("at 15").
CONNECTORS = frozenset({"on", "at", "на", "в", "во"})
TIME_CONNECTORS = frozenset({"at", "в"})
MAX_AHEAD_MINUTES = 366 * DAY  # "in …" reaches at most a year ahead


@dataclass(frozen=True, slots=True)
class ScheduleRead:
    schedule: Schedule
    end: int
    example: str  # the example key for problems found later in the line


def read_schedule(tokens: tuple[Token, ...], ctx: Context) -> ScheduleRead | None:
    """The schedule at the start of ``tokens``, or ``None`` when there is none."""
    first = tokens[0].low if tokens and tokens[0].kind is Kind.WORD else ""
    if first in NOW_WORDS:
        return ScheduleRead(Instant(), 1, keys.EX_NOW)
    if first in IN_WORDS:
        return _relative(tokens, ctx)
    weekly = _weekly(tokens, ctx)
    if weekly is not None:
        return weekly
    start = 1 if first in ONCE_WORDS else 0
    once = _one_time(tokens, start, ctx)
    if once is None and start:
        raise GrammarError(keys.MISSING_TIME, keys.EX_ONCE)
    return once


# ---- weekly ----------------------------------------------------------------

# Phrases that name the days themselves: "daily 09:00", "по будням в 9:00".
DAY_SETS: dict[tuple[str, ...], frozenset[Weekday]] = {
    **dict.fromkeys((("daily",), ("ежедневно",), ("every", "day"), ("каждый", "день")), ALL_DAYS),
    **dict.fromkeys(
        (
            ("weekdays",),
            ("workdays",),
            ("every", "weekday"),
            ("будни",),
            ("по", "будням"),
            ("в", "будни"),
        ),
        WEEKDAYS,
    ),
}


def _phrase_at(
    tokens: tuple[Token, ...], phrases: Collection[tuple[str, ...]]
) -> tuple[str, ...] | None:
    for size in (2, 1):
        words = tuple(t.low for t in tokens[:size] if t.kind is Kind.WORD)
        if len(words) == size and words in phrases:
            return words
    return None


def _weekly(tokens: tuple[Token, ...], ctx: Context) -> ScheduleRead | None:
    if (phrase := _phrase_at(tokens, WEEKLY_PHRASES)) is not None:
        days = read_days(tokens, len(phrase))
    elif (phrase := _phrase_at(tokens, DAY_SETS)) is not None:
        days = DaysRead(DAY_SETS[phrase], len(phrase))
    elif len(tokens) > 1 and tokens[0].low in EVERY_WORDS and is_day_word(tokens[1]):
        days = read_days(tokens, 1)
    else:
        return None
    return _weekly_time(tokens, days, ctx)


def _weekly_time(tokens: tuple[Token, ...], days: DaysRead, ctx: Context) -> ScheduleRead:
    example = keys.EX_WEEKLY
    if days.bad is not None:
        raise GrammarError(keys.UNKNOWN_DAY, example, word=days.bad)
    i = days.end
    connector = i < len(tokens) and tokens[i].low in TIME_CONNECTORS
    found = read_time(tokens, i + connector, example=example, bare_hour=connector)
    if found is None:
        if i < len(tokens) and (not days.days or _more_time_later(tokens, i)):
            raise GrammarError(keys.UNKNOWN_DAY, example, word=unknown_fragment(tokens[i]))
        if not days.days:
            raise GrammarError(keys.MISSING_DAYS, example)
        if i < len(tokens) and any(c in tokens[i].text for c in ",-–—"):
            raise GrammarError(keys.UNKNOWN_DAY, example, word=unknown_fragment(tokens[i]))
        raise GrammarError(keys.MISSING_WEEKLY_TIME, example)
    if not days.days:
        raise GrammarError(keys.MISSING_DAYS, example)
    ctx.tz(example)  # the rule keeps the zone: it must be a real one
    return ScheduleRead(Weekly(days.days, found.at, ctx.zone), found.end, example)


def _more_time_later(tokens: tuple[Token, ...], start: int) -> bool:
    return any(looks_like_time(t.low) for t in tokens[start + 1 :] if t.kind is Kind.WORD)


# ---- relative: "in 2h", "через 30 минут" -----------------------------------


def _relative(tokens: tuple[Token, ...], ctx: Context) -> ScheduleRead:
    example = keys.EX_RELATIVE
    found = read_duration(tokens, 1)
    if found is None:
        if len(tokens) < 2:
            raise GrammarError(keys.MISSING_DURATION, example)
        raise GrammarError(keys.BAD_DURATION, example, word=tokens[1].text)
    phrase = " ".join(t.text for t in tokens[1 : found.end])
    minutes = found.minutes
    if minutes.denominator != 1 or not 1 <= minutes <= MAX_AHEAD_MINUTES:
        raise GrammarError(keys.RELATIVE_OUT_OF_RANGE, example, word=phrase)
    ctx.tz(example)
    # Whole minutes: meeting times are shown and reminded to the minute.
    start = (ctx.now + timedelta(minutes=minutes.numerator)).replace(second=0, microsecond=0)
    return ScheduleRead(Once(start=start, zone=ctx.zone), found.end, example)


# ---- one-time: a date and a time in either order ----------------------------


def _one_time(tokens: tuple[Token, ...], start: int, ctx: Context) -> ScheduleRead | None:
    example = keys.EX_ONCE
    today = _today_for_reading(ctx)
    day: date | None = None
    at: time | None = None
    i = start
    while i < len(tokens) and (day is None or at is None):
        word = tokens[i].low if tokens[i].kind is Kind.WORD else ""
        skip = 1 if word in CONNECTORS and i + 1 < len(tokens) else 0
        if day is None and (date_read := read_date(tokens, i + skip, today)) is not None:
            day, i = date_read.day, date_read.end
            continue
        bare_hour = bool(skip) and word in TIME_CONNECTORS
        if at is None:
            time_read = read_time(tokens, i + skip, example=example, bare_hour=bare_hour)
            if time_read is not None:
                at, i = time_read.at, time_read.end
                continue
        break
    if day is None and at is None:
        return None
    if at is None:
        raise GrammarError(keys.MISSING_TIME, example)
    if day is None:
        # "at 15:00": today while 15:00 is still ahead, else tomorrow.
        example = keys.EX_AT
        local_now = ctx.now.astimezone(ctx.tz(example))
        day = today if at > local_now.time().replace(tzinfo=None) else today + timedelta(days=1)
    start_utc = ctx.to_utc(day, at, example)
    return ScheduleRead(Once(start=start_utc, zone=ctx.zone), i, example)


def _today_for_reading(ctx: Context) -> date:
    """The person's date; with a broken zone the UTC date serves for reading,
    and the conversion afterwards reports the zone."""
    try:
        return ctx.today(keys.EX_ONCE)
    except GrammarError:
        return ctx.now.date()
