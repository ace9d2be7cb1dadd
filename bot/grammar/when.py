"""The schedule phrase at the start of a new meeting: ``now``, one-time
(``tomorrow 15:00``, ``1 dec 09:30``, ``mon 10:00``, ``at 15:00``, ``in 2h``)
or weekly (``weekly mon,wed 10:00``, ``daily 09:00``, ``по будням в 9:00``)."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, time, timedelta

from bot.grammar import keys
from bot.grammar.context import Context
from bot.grammar.converted import OnceRead
from bot.grammar.dates import NEXT_WORDS, WEEKS, could_be_date, next_if_passed_lately, read_date
from bot.grammar.days import DaysRead, day_name, is_day_word, read_days, unknown_fragment
from bot.grammar.durations import DAY, meeting_length, read_duration
from bot.grammar.errors import Ambiguous, GrammarError
from bot.grammar.examples import (
    DATE_SLOT,
    TIME_SLOT,
    insert_after,
    phrase,
    replace,
    unread_time,
)
from bot.grammar.spans import is_lone_word, read_span
from bot.grammar.times import TIME_CONNECTORS, Period, announces_time, looks_like_time
from bot.grammar.tokens import Kind, Token
from bot.schedule import ALL_DAYS, WEEKDAYS, Instant, Once, Schedule, Weekday, Weekly

NOW_WORDS = frozenset({"now", "сейчас"})
ONCE_WORDS = frozenset({"once", "разово", "однажды", "единожды"})
IN_WORDS = frozenset({"in", "через"})
WEEKLY_PHRASES = frozenset({("weekly",), ("еженедельно",), ("every", "week"), ("каждую", "неделю")})
EVERY_WORDS = frozenset({"every", "each", "каждый", "каждую", "каждое", "по"})
# Words before a date ("on monday", "в пятницу", "на завтра") or a time ("at 15",
# "с 10 до 11", "from 10 to 11").
CONNECTORS = frozenset({"on", "at", "на", "в", "во", "from", "с"})
# Words between "weekly" and its days: "weekly on monday", "еженедельно по средам".
DAY_CONNECTORS = frozenset({"on", "по", "в", "во"})
MAX_AHEAD_MINUTES = 366 * DAY  # "in …" reaches at most a year ahead
# Words that say which part of the day a bare hour means ("вечером в 8").
PERIODS: dict[str, Period] = {
    **dict.fromkeys(("morning", "утром"), Period.MORNING),
    **dict.fromkeys(("afternoon", "evening", "днем", "днём", "вечером"), Period.AFTERNOON),
    **dict.fromkeys(("night", "ночью"), Period.NIGHT),
}
# The same, naming today too: "tonight at 8", "this afternoon at 3".
TODAY_PERIODS: dict[tuple[str, ...], Period] = {
    ("tonight",): Period.AFTERNOON,
    ("this", "morning"): Period.MORNING,
    ("this", "afternoon"): Period.AFTERNOON,
    ("this", "evening"): Period.AFTERNOON,
}
# A line put right is checked with this time in its slot (``examples.TIME_SLOT``).
EXAMPLE_TIME = "15:00"
# ... unless the line named a part of the day ("tomorrow morning"): a time in it.
PERIOD_EXAMPLE_TIMES: dict[str, str] = {
    **dict.fromkeys(("morning", "утром"), "09:00"),
    **dict.fromkeys(("afternoon", "днем", "днём"), "15:00"),
    **dict.fromkeys(("evening", "tonight", "вечером"), "19:00"),
    **dict.fromkeys(("night", "ночью"), "23:00"),
}


@dataclass(frozen=True, slots=True)
class ScheduleRead:
    schedule: Schedule
    end: int
    example: str  # the example key for problems found later in the line
    duration: timedelta | None = None  # written right after the time


def once_read(found: ScheduleRead, ctx: Context) -> OnceRead | None:
    """A one-time schedule, for a tail to offer a time written at an offset
    in the person's zone; ``None`` for weekly and instant ones."""
    if not isinstance(found.schedule, Once):
        return None
    return OnceRead(found.schedule.start, found.end, found.duration, ctx.now)


def read_schedule(tokens: tuple[Token, ...], ctx: Context) -> ScheduleRead | None:
    """The schedule at the start of ``tokens``, or ``None`` when there is none."""
    first = tokens[0].low if tokens and tokens[0].kind is Kind.WORD else ""
    if first in NOW_WORDS:
        found = read_duration(tokens, 1)  # "now 30m": how long, right after "now"
        if found is None:
            return ScheduleRead(Instant(), 1, keys.EX_NOW)
        length = meeting_length(found.minutes, phrase(ctx.line, tokens, 1, found.end))
        return ScheduleRead(Instant(), found.end, keys.EX_NOW, length)
    if first in IN_WORDS:
        return _relative(tokens, ctx)
    weekly = _weekly(tokens, ctx)
    if weekly is not None:
        return weekly
    if first not in EVERY_WORDS:
        _not_several_days(tokens, ctx)
    start = 1 if first in ONCE_WORDS else 0
    _not_a_week_alone(tokens, start, ctx)
    once = _one_time(tokens, start, ctx)
    if once is not None and not start:
        _not_weekly_after(tokens, once.end, ctx)
    if once is None and start:
        raise GrammarError(
            keys.MISSING_TIME,
            keys.EX_ONCE,
            word=tokens[0].text,
            suggestion=insert_after(ctx.line, tokens[0], f"{DATE_SLOT} {TIME_SLOT}"),
        )
    return once


def _not_a_week_alone(tokens: tuple[Token, ...], start: int, ctx: Context) -> None:
    """ "next week Sync": a week and no day in it is named by its dates and
    asked which day, never a guessed one; the line offered keeps the rest,
    the date (and the time, unless one follows) left to give."""
    i = start + (start < len(tokens) and tokens[start].low in CONNECTORS)
    words = tokens[i : i + 2]
    if len(words) < 2 or any(token.kind is not Kind.WORD for token in words):
        return
    weeks = WEEKS.get((words[0].low, words[1].low))
    if weeks is None:
        return
    today = ctx.today(keys.EX_ONCE)
    monday = today - timedelta(days=today.weekday(), weeks=-weeks)
    after = i + 2
    timed = after < len(tokens) and (
        looks_like_time(tokens[after].low) or announces_time(tokens, after)
    )
    raise GrammarError(
        keys.NEW_WEEK,
        keys.EX_ONCE,
        suggestion=replace(
            ctx.line, tokens[start], words[1], DATE_SLOT if timed else f"{DATE_SLOT} {TIME_SLOT}"
        ),
        word=phrase(ctx.line, tokens, start, after),
        first=monday.isoformat(),
        last=(monday + timedelta(days=6)).isoformat(),
    )


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


def weekly_days(tokens: tuple[Token, ...]) -> DaysRead | None:
    """The days of a weekly phrase at the start (``weekly mon,wed``,
    ``daily``, ``по будням``), before its time; ``None``: no weekly phrase."""
    if (phrase := _phrase_at(tokens, WEEKLY_PHRASES)) is not None:
        start = len(phrase)
        # "weekly on monday", "еженедельно по средам": the word before the days.
        if (
            start < len(tokens)
            and tokens[start].low in DAY_CONNECTORS
            and (start + 1 == len(tokens) or not looks_like_time(tokens[start + 1].low))
        ):
            start += 1
        return read_days(tokens, start)
    if (phrase := _phrase_at(tokens, DAY_SETS)) is not None:
        return DaysRead(DAY_SETS[phrase], len(phrase))
    if len(tokens) > 1 and tokens[0].low in EVERY_WORDS and is_day_word(tokens[1]):
        return read_days(tokens, 1)
    return None


def _not_several_days(tokens: tuple[Token, ...], ctx: Context) -> None:
    """ "mon-fri 9:00", "mon and wed 10:00": several days are a weekly meeting
    without its word; the line is offered with it, never taken unasked."""
    if not tokens or not is_day_word(tokens[0]):
        return
    read = read_days(tokens, 0)
    if read.bad is not None or len(read.days) < 2:
        return
    cyrillic = any("\u0400" <= char <= "\u04ff" for char in tokens[0].text)
    weekly = "еженедельно" if cyrillic else "weekly"
    line = ctx.line
    typed = _weekly_typed_after(tokens, read, ctx)
    if typed is not None:  # "mon,wed 9am weekly sync": that word goes first, not in the topic
        first, last = typed
        weekly = phrase(line, tokens, first, last)
        line = line[: tokens[first - 1].end] + line[tokens[last - 1].end :]
    raise GrammarError(
        keys.DAYS_WITHOUT_WEEKLY,
        keys.EX_WEEKLY,
        word=phrase(ctx.line, tokens, 0, read.end),
        suggestion=replace(line, tokens[0], tokens[0], f"{weekly} {tokens[0].text}"),
    )


def _weekly_typed_after(
    tokens: tuple[Token, ...], days: DaysRead, ctx: Context
) -> tuple[int, int] | None:
    """Where "weekly" (every week, еженедельно) stands right after the days'
    time, as ``tokens[first:last]``; ``None`` when it does not."""
    try:
        read = _weekly_time(tokens, days, ctx)
    except (GrammarError, Ambiguous):
        return None
    found = _phrase_at(tokens[read.end :], WEEKLY_PHRASES)
    return None if found is None else (read.end, read.end + len(found))


def _not_weekly_after(tokens: tuple[Token, ...], end: int, ctx: Context) -> None:
    """ "mon 9am weekly sync": a weekday and a time, then "weekly" where the
    topic starts. The line is offered with the rule first ("weekly mon 9am
    sync"), never made a one-time meeting with the topic "weekly sync"."""
    weekly = _phrase_at(tokens[end:], WEEKLY_PHRASES)
    day = next((i for i in range(end) if day_name(tokens[i].low) is not None), None)
    if weekly is None or day is None:
        return
    # The schedule's words but the day and what only led to it ("on", "next").
    led = {day - 1} if day and tokens[day - 1].low in CONNECTORS | NEXT_WORDS else set()
    rest = " ".join(tokens[i].text for i in range(end) if i != day and i not in led)
    word = phrase(ctx.line, tokens, end, end + len(weekly))
    after = ctx.line[tokens[end + len(weekly) - 1].end :]
    raise GrammarError(
        keys.WEEKLY_AFTER_DAY,
        keys.EX_WEEKLY,
        word=word,
        suggestion=f"{ctx.line[: tokens[0].start]}{word} {tokens[day].text} {rest}{after}".strip(),
    )


def _weekly(tokens: tuple[Token, ...], ctx: Context) -> ScheduleRead | None:
    days = weekly_days(tokens)
    return None if days is None else _weekly_time(tokens, days, ctx)


def _weekly_time(tokens: tuple[Token, ...], days: DaysRead, ctx: Context) -> ScheduleRead:
    example = keys.EX_WEEKLY
    if days.bad is not None:
        raise GrammarError(keys.UNKNOWN_DAY, example, word=days.bad)
    i = days.end
    period = PERIODS.get(tokens[i].low) if i < len(tokens) else None
    i += period is not None
    connector = i < len(tokens) and tokens[i].low in TIME_CONNECTORS
    # Right after the days a number is the hour: "weekly mon,wed 9" (then asked).
    with _period_kept_out(ctx, tokens, days.end if period is not None else None):
        found = read_span(tokens, i + connector, example=example, bare_hour=True, period=period)
    last = tokens[days.end - 1]  # the word after which days or a time are missing
    if found is None:
        if i < len(tokens) and (not days.days or _more_time_later(tokens, i)):
            raise GrammarError(keys.UNKNOWN_DAY, example, word=unknown_fragment(tokens[i]))
        if not days.days:
            raise GrammarError(keys.MISSING_DAYS, example, word=last.text)
        if i < len(tokens) and any(c in tokens[i].text for c in ",-–—"):
            raise GrammarError(keys.UNKNOWN_DAY, example, word=unknown_fragment(tokens[i]))
        unread = _unread_time(tokens, i)
        if unread is not None:  # "weekly mon 9zz": a time typed, unreadable
            raise unread_time(ctx.line, unread, example)
        raise GrammarError(
            keys.MISSING_WEEKLY_TIME,
            example,
            word=last.text,
            suggestion=insert_after(ctx.line, last, TIME_SLOT),
        )
    if not days.days:
        raise GrammarError(keys.MISSING_DAYS, example, word=last.text)
    ctx.tz(example)  # the rule keeps the zone: it must be a real one
    return ScheduleRead(Weekly(days.days, found.at, ctx.zone), found.end, example, found.duration)


def _more_time_later(tokens: tuple[Token, ...], start: int) -> bool:
    return any(looks_like_time(t.low) for t in tokens[start + 1 :] if t.kind is Kind.WORD)


# ---- relative: "in 2h", "через 30 минут" -----------------------------------


def _relative(tokens: tuple[Token, ...], ctx: Context) -> ScheduleRead:
    example = keys.EX_RELATIVE
    found = read_duration(tokens, 1)
    if found is None:
        if len(tokens) < 2:
            raise GrammarError(keys.MISSING_DURATION, example, word=tokens[0].text)
        raise GrammarError(keys.BAD_DURATION, example, word=tokens[1].text)
    minutes = found.minutes
    if minutes.denominator != 1 or not 1 <= minutes <= MAX_AHEAD_MINUTES:
        raise GrammarError(
            keys.RELATIVE_OUT_OF_RANGE, example, word=phrase(ctx.line, tokens, 1, found.end)
        )
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
    length: timedelta | None = None
    period: Period | None = None
    period_at: int | None = None  # where the part of the day was named
    lone_time: int | None = None  # where a time unannounced and alone was read
    i = start
    while i < len(tokens) and (day is None or at is None):
        word = tokens[i].low if tokens[i].kind is Kind.WORD else ""
        if word in PERIODS and period is None:
            period, period_at, i = PERIODS[word], i, i + 1
            continue
        if (today_period := _today_period(tokens, i)) is not None and period is None:
            (period, size), day, period_at = today_period, day or today, i
            i += size
            continue
        skip = 1 if word in CONNECTORS and i + 1 < len(tokens) else 0
        if day is None and (date_read := read_date(tokens, i + skip, today)) is not None:
            day, i = date_read.day, date_read.end
            continue
        # "на" and "on" announce a date ("на завтра"), never a time: "на 3 дня"
        # is a duration, not 15:00.
        if at is None and word not in {"на", "on"}:
            # A number is an hour where a word announced a time ("at 3") or
            # right after the date ("tomorrow 3", "tomorrow 1500").
            bare_hour = (bool(skip) and word in TIME_CONNECTORS) or day is not None
            with _period_kept_out(ctx, tokens, period_at):
                span = read_span(
                    tokens, i + skip, example=example, bare_hour=bare_hour, period=period
                )
            if span is not None:
                if not skip and is_lone_word(tokens, i, span):
                    lone_time = i
                at, length, i = span.at, span.duration, span.end
                continue
        break
    if day is None and at is None:
        if i > start:  # only "tonight" or "вечером": a part of the day, no time
            raise _missing_time(tokens, i, ctx)
        return None
    if at is None:
        raise _missing_time(tokens, i, ctx)
    if day is None:
        example = keys.EX_AT
        day = _day_of_time_alone(tokens, lone_time, at, today, ctx)
    start_utc = ctx.to_utc(day, at, example, word=phrase(ctx.line, tokens, start, i))
    return ScheduleRead(Once(start=start_utc, zone=ctx.zone), i, example, length)


def _day_of_time_alone(
    tokens: tuple[Token, ...], lone_time: int | None, at: time, today: date, ctx: Context
) -> date:
    """The day of a time said without one ("at 15:00"): today while the
    time is still ahead, else tomorrow."""
    if lone_time is not None:
        ask_if_a_date(tokens, lone_time, at, today)
    local_now = ctx.now.astimezone(ctx.tz(keys.EX_AT))
    return today if at > local_now.time().replace(tzinfo=None) else today + timedelta(days=1)


def ask_if_a_date(tokens: tuple[Token, ...], index: int, at: time, today: date) -> None:
    """``Ambiguous`` when the time read alone at ``tokens[index]`` is also a
    day and a month: "22.11 Retro" is 22:11, or 22 November with its time
    left out. The time is offered, never taken unasked; the question says
    how to write the date: with its year when it has just passed, for the
    line without one would be asked about in turn."""
    token = tokens[index]
    if could_be_date(token):
        problem, params = keys.ASK_TIME_OR_DATE, {}
        if (day := next_if_passed_lately(token, today)) is not None:
            problem, params = keys.ASK_TIME_OR_PAST_DATE, {"date": f"{token.low}.{day.year}"}
        raise Ambiguous(
            problem,
            first=index,
            last=index + 1,
            readings=(f"{at:%H:%M}",),
            confirm=True,
            params=params,
        )


@contextmanager
def _period_kept_out(ctx: Context, tokens: tuple[Token, ...], at: int | None) -> Iterator[None]:
    """A time the part of the day named at ``tokens[at]`` contradicts ("morning
    15:00"): the line is offered with the time as written and no part of the
    day ("tonight" and "this morning" leave "today")."""
    try:
        yield
    except GrammarError as error:
        if error.problem == keys.PERIOD_CONFLICT and at is not None and not error.suggestion:
            named_today = _today_period(tokens, at) if tokens[at].low not in PERIODS else None
            size, today = (1, "") if named_today is None else (named_today[1], "today ")
            rest = ctx.line[tokens[at + size].start :]
            error.suggestion = f"{ctx.line[: tokens[at].start]}{today}{rest}".strip()
        raise


def _today_period(tokens: tuple[Token, ...], i: int) -> tuple[Period, int] | None:
    for words, period in TODAY_PERIODS.items():
        if tuple(t.low for t in tokens[i : i + len(words)]) == words:
            return period, len(words)
    return None


def _missing_time(tokens: tuple[Token, ...], end: int, ctx: Context) -> GrammarError:
    """The schedule stopped at ``tokens[end]`` without a time: name its last word
    and show the line with a time put in."""
    unread = _unread_time(tokens, end)
    if unread is not None:
        return unread_time(ctx.line, unread, keys.EX_ONCE)
    last = tokens[end - 1]
    period_time = PERIOD_EXAMPLE_TIMES.get(last.low) if last.kind is Kind.WORD else None
    if period_time is not None:
        return GrammarError(
            keys.MISSING_PERIOD_TIME,
            keys.EX_ONCE,
            word=last.text,
            time=period_time,
            suggestion=insert_after(ctx.line, last, TIME_SLOT),
        )
    return GrammarError(
        keys.MISSING_TIME,
        keys.EX_ONCE,
        word=last.text,
        suggestion=_time_moved(tokens, end, ctx.line) or insert_after(ctx.line, last, TIME_SLOT),
    )


def _time_moved(tokens: tuple[Token, ...], end: int, line: str) -> str:
    """The line with a time typed after the topic ("friday Sync 3pm", "завтра
    Синк в 15:00") moved to where the time goes, after ``tokens[end - 1]``;
    "" when no word after it has a time's shape."""
    at = next((j for j in range(end, len(tokens)) if looks_like_time(tokens[j].low)), None)
    if at is None:
        return ""
    first = at - 1 if at - 1 >= end and tokens[at - 1].low in TIME_CONNECTORS else at
    time_words = line[tokens[first].start : tokens[at].end]
    without = f"{line[: tokens[first].start].rstrip()} {line[tokens[at].end :].lstrip()}"
    return insert_after(without.strip(), tokens[end - 1], time_words)


def _unread_time(tokens: tuple[Token, ...], end: int) -> Token | None:
    """A number where the time goes that is none ("tomorrow at 9zz", "завтра
    9зз"): a time typed that could not be read, not a time left out."""
    announced = end + 1 < len(tokens) and tokens[end].low in TIME_CONNECTORS
    token = tokens[end + announced] if end + announced < len(tokens) else None
    return token if token is not None and meant_as_time(token, announced=announced) else None


def meant_as_time(token: Token, *, announced: bool = True) -> bool:
    """A word where a time goes that starts with a digit ("9zz", "15:00x"):
    a time typed, whether or not it can be read. An ordinal ("2nd floor",
    "3-й этаж") is the topic's word, and so, unless "at" announced a time,
    is a number with a unit no time is written with ("4k video", "2fa",
    "10x"): replaced by the slot, the person's word was lost from the line."""
    if token.kind is not Kind.WORD or not token.text[:1].isdigit():
        return False
    if _ORDINAL.fullmatch(token.low):
        return False
    return announced or _WITH_UNIT.fullmatch(token.low) is None


_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th|-?(?:й|я|е|го|ый|ий|ой|ая|ое))")
# Multipliers, sizes and the like, glued to a number in a topic; none is a
# time's (am/pm, h, ч: "9amm" stays a time mistyped) nor a length's ("3d").
_WITH_UNIT = re.compile(r"\d+(?:k|x|g|[kmgt]b|px|fps|fa|on\d+|к|х|г|[кмгт]б|тыс)")


def _today_for_reading(ctx: Context) -> date:
    """The person's date; with a broken zone the UTC date serves for reading,
    and the conversion afterwards reports the zone."""
    try:
        return ctx.today(keys.EX_ONCE)
    except GrammarError:
        return ctx.now.date()
