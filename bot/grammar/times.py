"""Clock times as people write them: ``15:00``, ``9:30``, ``15.00``, ``15:00:00``,
``3pm``, ``3p``, ``3:30 pm``, ``15h``, ``noon``/``полдень``, ``midnight``/``полночь``,
``3 часа дня``, ``8 in the evening``; and, where a word has announced a time
(``at``, ``в``, ``с``, ``from``), a bare hour (``at 15``) or four digits (``at 1500``).

A bare hour from 1 to 11 with nothing that says which half of the day is meant
is not guessed: ``read_time`` raises ``Ambiguous`` with both readings, and the
parser asks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from enum import Enum

from bot.grammar import keys
from bot.grammar.errors import Ambiguous, GrammarError
from bot.grammar.tokens import Kind, Token


class Period(Enum):
    """Which part of the day a bare hour belongs to."""

    MORNING = "morning"  # 12 -> 00, 1..11 as they are
    AFTERNOON = "afternoon"  # 12 -> 12, 1..11 -> 13..23
    NIGHT = "night"  # 12 -> 00, 1..5 as they are, 6..11 -> 18..23


_CLOCK = re.compile(r"(\d{1,2})[:.](\d{2})(?::(\d{2}))?")
_MERIDIEM = re.compile(r"(\d{1,2})(?::(\d{2}))?(am|pm|a\.m\.|p\.m\.|a|p)")
_MERIDIEM_WORDS = {"am": "am", "a.m.": "am", "pm": "pm", "p.m.": "pm", "a": "am", "p": "pm"}
_SPLIT_MERIDIEM = frozenset({"am", "a.m.", "pm", "p.m."})
_HOUR = re.compile(r"\d{1,2}")
_FOUR_DIGITS = re.compile(r"(\d{2})(\d{2})")
# "15h", "15h30", "15ч", "15ч30": an hour of the 24-hour clock. Below 13, "3h"
# reads as a duration, so only afternoon hours and hours with minutes count.
_H_CLOCK = re.compile(r"(\d{1,2})[hч](\d{2})?")
# Looks like a clock time but may be out of range: answered with "bad time".
_TIME_SHAPED = re.compile(
    r"\d{1,4}[:.]\d{1,4}(?::\d{1,4})?|\d{1,4}(?::\d{1,4})?(?:am|pm|a\.m\.|p\.m\.)"
)
_DASHES = "-–—"

# Words that announce a time: "at 15", "в 9", "from 10 to 11", "с 10 до 11".
TIME_CONNECTORS = frozenset({"at", "в", "во", "from", "с"})

NAMED: dict[str, time] = {
    **dict.fromkeys(("noon", "midday", "полдень", "полдня"), time(12, 0)),
    **dict.fromkeys(("midnight", "полночь"), time(0, 0)),
}
_HOUR_WORDS = frozenset({"час", "часа", "часов", "o'clock", "oclock", "h"})
# Words after the hour that say which half of the day: "3 часа дня", "3 pm".
_AFTER: dict[tuple[str, ...], Period] = {
    ("утра",): Period.MORNING,
    ("дня",): Period.AFTERNOON,
    ("вечера",): Period.AFTERNOON,
    ("ночи",): Period.NIGHT,
    ("in", "the", "morning"): Period.MORNING,
    ("in", "the", "afternoon"): Period.AFTERNOON,
    ("in", "the", "evening"): Period.AFTERNOON,
    ("at", "night"): Period.NIGHT,
}


@dataclass(frozen=True, slots=True)
class TimeRead:
    at: time
    end: int


def read_time(
    tokens: tuple[Token, ...],
    start: int,
    *,
    example: str,
    bare_hour: bool = False,
    period: Period | None = None,
) -> TimeRead | None:
    """The clock time at ``tokens[start]``; ``None`` when there is none.

    ``bare_hour``: a word announced a time, so ``15`` and ``1500`` are times.
    ``period``: the part of the day already named ("tonight", "вечером").
    Raises ``GrammarError(BAD_TIME)`` for a time-shaped word out of range
    (``25:00``) and ``Ambiguous`` for an hour that could be either half of the day.
    """
    if start >= len(tokens) or tokens[start].kind is not Kind.WORD:
        return None
    word = tokens[start].low
    if word in NAMED:
        return TimeRead(NAMED[word], start + 1)
    nxt = tokens[start + 1].low if start + 1 < len(tokens) else ""
    # "3:30 pm" before "3:30", or the "pm" would end up in the topic.
    if nxt in _SPLIT_MERIDIEM and (match := re.fullmatch(r"(\d{1,2})(?::(\d{2}))?", word)):
        at = _twelve_hour(int(match[1]), int(match[2] or 0), nxt, f"{word} {nxt}", example)
        return TimeRead(at, start + 2)
    if match := _CLOCK.fullmatch(word):
        if match[3] is not None and int(match[3]) != 0:
            raise GrammarError(keys.BAD_TIME, example, word=tokens[start].text)
        at = _clock(int(match[1]), int(match[2]), tokens[start].text, example)
        return _with_period(tokens, start, at, period, minutes_given=True, example=example)
    if match := _MERIDIEM.fullmatch(word):
        at = _twelve_hour(int(match[1]), int(match[2] or 0), match[3], tokens[start].text, example)
        return TimeRead(_within(at, period, tokens[start].text, example), start + 1)
    if (match := _H_CLOCK.fullmatch(word)) and (match[2] is not None or int(match[1]) >= 13):
        return TimeRead(_clock(int(match[1]), int(match[2] or 0), word, example), start + 1)
    if _HOUR.fullmatch(word):
        announced = bare_hour or _says_hour(tokens, start + 1)
        if announced:
            at = _clock(int(word), 0, tokens[start].text, example)
            return _with_period(tokens, start, at, period, minutes_given=False, example=example)
    if bare_hour and (match := _FOUR_DIGITS.fullmatch(word)):
        return TimeRead(
            _clock(int(match[1]), int(match[2]), tokens[start].text, example), start + 1
        )
    if looks_like_time(word):
        raise GrammarError(keys.BAD_TIME, example, word=tokens[start].text)
    return None


def _says_hour(tokens: tuple[Token, ...], i: int) -> bool:
    """Whether the words after a number make it an hour: "3 часа", "3 дня"."""
    words = tuple(t.low for t in tokens[i : i + 3])
    if words[:1] and words[0] in _HOUR_WORDS - {"h"}:
        return True
    return any(words[: len(after)] == after for after in _AFTER)


def _with_period(
    tokens: tuple[Token, ...],
    start: int,
    at: time,
    period: Period | None,
    *,
    minutes_given: bool,
    example: str,
) -> TimeRead:
    """Applies what follows the number ("часа дня", "in the evening") or what
    came before ("tonight"); asks when a bare hour stays open."""
    end = start + 1
    if end < len(tokens) and tokens[end].low in _HOUR_WORDS and not minutes_given:
        end += 1
    for words, named in _AFTER.items():
        if tuple(t.low for t in tokens[end : end + len(words)]) == words:
            return TimeRead(_in_period(at, named), end + len(words))
    if period is not None:
        if at.hour > 12:  # "15:00 вечером": on the 24-hour clock already
            return TimeRead(_within(at, period, tokens[start].text, example), end)
        return TimeRead(_in_period(at, period), end)
    if not minutes_given and 1 <= at.hour <= 11:
        raise Ambiguous(
            keys.ASK_HOUR,
            first=start,
            last=end,
            readings=(f"{at.hour:02d}:00", f"{at.hour + 12:02d}:00"),
        )
    return TimeRead(at, end)


def _within(at: time, period: Period | None, word: str, example: str) -> time:
    """``at`` (on the 24-hour clock, or with am/pm), unless the part of the day
    named with it contradicts it ("morning 15:00", "evening 9am"): one of the
    two is a slip, and not ours to pick."""
    match period:
        case Period.MORNING:
            against = at.hour >= 13
        case Period.AFTERNOON:
            against = 1 <= at.hour < 12
        case Period.NIGHT:
            against = 6 <= at.hour < 18
        case None:
            against = False
    if against:
        raise GrammarError(keys.PERIOD_CONFLICT, example, word=word)
    return at


def _in_period(at: time, period: Period) -> time:
    hour = at.hour
    if hour > 12:  # "15:00 вечером": already on the 24-hour clock
        return at
    if period is Period.MORNING:
        hour %= 12
    elif period is Period.AFTERNOON:
        hour = 12 if hour == 12 else hour + 12
    else:
        hour = 0 if hour == 12 else hour + 12 if hour >= 6 else hour
    return at.replace(hour=hour)


def looks_like_time(word: str) -> bool:
    return _TIME_SHAPED.fullmatch(word.lower()) is not None


def announces_time(tokens: tuple[Token, ...], index: int) -> bool:
    """A time written from ``tokens[index]`` on, announced by its word:
    ``at 15:00``, ``at 3``, ``в 9``, ``at noon``."""
    if index + 1 >= len(tokens) or tokens[index].low not in TIME_CONNECTORS:
        return False
    word = tokens[index + 1].low
    return word[:1].isdigit() or word in NAMED


def split_range(word: str) -> tuple[str, str] | None:
    """``15:00-16:00`` / ``10:00–11:30`` / ``noon-1pm`` as its two ends, when it
    is one word."""
    for dash in _DASHES:
        left, sep, right = word.partition(dash)
        if sep and left and right and _an_end(left) and _an_end(right):
            return left, right
    return None


def _an_end(word: str) -> bool:
    return word[0].isdigit() or word in NAMED


def _clock(hour: int, minute: int, word: str, example: str) -> time:
    if hour > 23 or minute > 59:
        raise GrammarError(keys.BAD_TIME, example, word=word)
    return time(hour, minute)


def _twelve_hour(hour: int, minute: int, meridiem: str, word: str, example: str) -> time:
    if not 1 <= hour <= 12 or minute > 59:
        raise GrammarError(keys.BAD_TIME, example, word=word)
    hour %= 12
    if _MERIDIEM_WORDS[meridiem] == "pm":
        hour += 12
    return time(hour, minute)
