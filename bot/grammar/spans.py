"""A start time and, written right after it, how long: ``15:00 30m``,
``15:00 1ч30м``, ``15:00-16:00``, ``10:00–11:30``, ``с 10 до 11:30``,
``from 10 to 11:30``, ``15:00 - 16:00``.

A bare start hour is asked about as a bare hour alone is, unless the end
settles it: an end on the 24-hour clock or with "am/pm" (``10-13:30``,
``9-10:30am``) leaves one reading that runs forwards and at most twelve hours.
An end that is a bare hour, or ``11:30`` with neither (it says nothing of
morning or evening), is asked with the start: each choice writes both ends
(``10:00-11:30`` or ``22:00-23:30``), never one end alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from fractions import Fraction

from bot.grammar import keys
from bot.grammar.durations import meeting_length, read_duration
from bot.grammar.errors import Ambiguous, GrammarError
from bot.grammar.times import Period, TimeRead, read_time, split_range
from bot.grammar.tokens import Kind, Token

# Words between the two ends of a range: "15:00 - 16:00", "from 10 to 11".
RANGE_WORDS = frozenset({"-", "–", "—", "to", "till", "until", "до"})
_HALF_DAY = timedelta(hours=12)
# An end written "11:30" (no am/pm, an hour a 12-hour clock has): after a bare
# start hour it is read on both halves of the day, as the start is.
_CLOCK_FACE = re.compile(r"(\d{1,2})[:.]\d{2}")


@dataclass(frozen=True, slots=True)
class Span:
    at: time
    duration: timedelta | None
    end: int  # index of the first token after the phrase


def read_span(  # noqa: C901 (each written form of a range is one branch)
    tokens: tuple[Token, ...],
    start: int,
    *,
    example: str,
    bare_hour: bool = False,
    period: Period | None = None,
) -> Span | None:
    """The time at ``tokens[start]`` with the duration or range end that follows."""
    if start < len(tokens) and tokens[start].kind is Kind.WORD:
        ends = split_range(tokens[start].low)
        if ends is not None and (
            span := _one_word_range(tokens, start, ends, example=example, period=period)
        ):
            return Span(span[0], span[1], start + 1)
    first: list[time]
    try:
        read = read_time(tokens, start, example=example, bare_hour=bare_hour, period=period)
    except Ambiguous as ambiguous:
        if not _range_word_at(tokens, ambiguous.last):
            raise
        first = [time.fromisoformat(r) for r in ambiguous.readings]
        read = TimeRead(first[0], ambiguous.last)
    else:
        if read is None:
            return None
        first = [read.at]
    i = read.end
    if _range_word_at(tokens, i):
        try:
            last = read_time(tokens, i + 1, example=example, bare_hour=True, period=period)
        except Ambiguous as ambiguous:
            ends_at = [time.fromisoformat(r) for r in ambiguous.readings]
            last = TimeRead(ends_at[0], ambiguous.last)
        else:
            ends_at = [] if last is None else [last.at]
        # No time after "to": the words are the topic's ("15:00 to discuss the plan").
        if last is not None:
            phrase = " ".join(t.text for t in tokens[start : last.end])
            if len(first) > 1:
                written = " ".join(t.text for t in tokens[i + 1 : last.end])
                word = tokens[i].text
                _ask_both_ends(
                    first,
                    _either_half(written, ends_at),
                    (start, last.end),
                    lambda at, end: f"{at:%H:%M} {word} {end:%H:%M}",
                )
            at, length = _forwards(first, ends_at, phrase)
            return Span(at, length, last.end)
    if len(first) > 1:
        raise Ambiguous(
            keys.ASK_HOUR, first=start, last=read.end, readings=ambiguous_readings(first)
        )
    found = read_duration(tokens, i)
    if found is None:
        return Span(read.at, None, i)
    phrase = " ".join(t.text for t in tokens[i : found.end])
    return Span(read.at, meeting_length(found.minutes, phrase), found.end)


def is_lone_word(tokens: tuple[Token, ...], start: int, span: Span) -> bool:
    """Whether ``span`` is the one word at ``tokens[start]``, alone or with a
    bare duration after it ("22.11", "22.11 30m"): nothing in it says that
    the word is a time rather than a date."""
    if span.end == start + 1:
        return span.duration is None  # "22.11-23.00" is a range of times
    found = read_duration(tokens, start + 1)
    return found is not None and found.end == span.end


def ambiguous_readings(times: list[time]) -> tuple[str, ...]:
    return tuple(f"{t:%H:%M}" for t in times)


def _one_word_range(
    tokens: tuple[Token, ...],
    index: int,
    ends: tuple[str, str],
    *,
    example: str,
    period: Period | None,
) -> tuple[time, timedelta] | None:
    """``15:00-16:00`` as one word; ``9-10`` asks about its start."""
    token = tokens[index]
    pieces = (Token(Kind.WORD, ends[0]), Token(Kind.WORD, ends[1]))
    readings: list[list[time]] = []
    for end in (0, 1):
        try:
            read = read_time(pieces, end, example=example, bare_hour=True, period=period)
        except Ambiguous as ambiguous:
            readings.append([time.fromisoformat(r) for r in ambiguous.readings])
            continue
        except GrammarError:
            raise GrammarError(keys.BAD_TIME, example, word=token.text) from None
        if read is None or read.end != end + 1:
            return None
        readings.append([read.at])
    if len(readings[0]) > 1:
        dash = token.text[len(ends[0]) : len(token.text) - len(ends[1])]
        _ask_both_ends(
            readings[0],
            _either_half(ends[1], readings[1]),
            (index, index + 1),
            lambda at, end: f"{at:%H:%M}{dash}{end:%H:%M}",
        )
    return _forwards(readings[0], readings[1], token.text)


def _either_half(written: str, ends: list[time]) -> list[time]:
    """The end's readings after a bare start: "11:30" is 23:30 too."""
    match = _CLOCK_FACE.fullmatch(written)
    if len(ends) != 1 or match is None or not 1 <= int(match[1]) <= 12:
        return ends
    return [ends[0], time((ends[0].hour + 12) % 24, ends[0].minute)]


def _ask_both_ends(
    starts: list[time],
    ends: list[time],
    tokens: tuple[int, int],
    said: Callable[[time, time], str],
) -> None:
    """Asks about the range at ``tokens`` (first, last exclusive) when more
    than one reading of its bare start runs forwards at most twelve hours to
    an end; each reading is ``said`` whole, both its ends written."""
    readings: list[str] = []
    for at in starts:
        fits = [end for end in ends if _length(at, end) <= _HALF_DAY]
        if fits:
            readings.append(said(at, min(fits, key=lambda end: _length(at, end))))
    if len(readings) > 1:
        raise Ambiguous(keys.ASK_HOUR, first=tokens[0], last=tokens[1], readings=tuple(readings))


def _length(start: time, end: time) -> timedelta:
    """How long from ``start`` to ``end`` forwards; a day when they are equal."""
    day = datetime(2000, 1, 1)
    length = (datetime.combine(day, end) - datetime.combine(day, start)) % timedelta(days=1)
    return length or timedelta(days=1)


def _forwards(starts: list[time], ends: list[time], phrase: str) -> tuple[time, timedelta]:
    """The start and length of the range that runs forwards, at most twelve hours
    when an end was a bare hour, at most a day otherwise."""
    limit = _HALF_DAY if len(starts) > 1 or len(ends) > 1 else timedelta(hours=24)
    day = datetime(2000, 1, 1)
    for start in starts:
        for end in ends:
            length = (datetime.combine(day, end) - datetime.combine(day, start)) % timedelta(days=1)
            if timedelta(0) < length <= limit:
                minutes = Fraction(int(length.total_seconds() // 60))
                return start, meeting_length(minutes, phrase)
    raise GrammarError(keys.DURATION_OUT_OF_RANGE, keys.EX_DURATION, word=phrase)


def _range_word_at(tokens: tuple[Token, ...], i: int) -> bool:
    return i + 1 < len(tokens) and tokens[i].kind is Kind.WORD and tokens[i].low in RANGE_WORDS
