"""A start time and, written right after it, how long: ``15:00 30m``,
``15:00 1ч30м``, ``15:00-16:00``, ``10:00–11:30``, ``с 10 до 11:30``,
``from 10 to 11:30``, ``15:00 - 16:00``.

A range needs no "am/pm" on both ends: of the two readings of a bare hour, the
one that makes the range run forwards and at most twelve hours is meant
(``с 10 до 11:30`` is 10:00–11:30). When both ends are bare hours the start is
asked, and the end then follows it.
"""

from __future__ import annotations

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
            if len(first) > 1:  # both ends bare: ask about the start, the end follows
                raise Ambiguous(
                    keys.ASK_HOUR, first=start, last=read.end, readings=ambiguous_readings(first)
                ) from None
            ends_at = [time.fromisoformat(r) for r in ambiguous.readings]
            last = TimeRead(ends_at[0], ambiguous.last)
        else:
            ends_at = [] if last is None else [last.at]
        # No time after "to": the words are the topic's ("15:00 to discuss the plan").
        if last is not None:
            phrase = " ".join(t.text for t in tokens[start : last.end])
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
    if len(readings[0]) > 1 and len(readings[1]) > 1:
        # "9-10": both ends bare; once the start is said, the end follows it.
        said = tuple(f"{start}-{ends[1]}" for start in ambiguous_readings(readings[0]))
        raise Ambiguous(keys.ASK_HOUR, first=index, last=index + 1, readings=said)
    return _forwards(readings[0], readings[1], token.text)


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
