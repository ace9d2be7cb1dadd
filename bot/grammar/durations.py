"""Durations: ``30m``, ``1h30m``, ``1h 30m``, ``90 min``, ``1.5h``, ``2 hours``,
``на 2 часа``, ``полчаса``.

Arithmetic uses ``Fraction`` so ``1.5h`` is exactly 90 minutes and huge numbers
are range-checked before a ``timedelta`` could overflow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from fractions import Fraction
from itertools import pairwise

from bot.grammar import keys
from bot.grammar.errors import GrammarError
from bot.grammar.tokens import Kind, Token

MINUTE, HOUR, DAY = 1, 60, 24 * 60
MIN_MINUTES, MAX_MINUTES = 1, 24 * HOUR  # how long a meeting may last

UNITS: dict[str, int] = {
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), MINUTE),
    **dict.fromkeys(("м", "мин", "минута", "минуты", "минут", "минуту"), MINUTE),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), HOUR),
    **dict.fromkeys(("ч", "час", "часа", "часов"), HOUR),
    **dict.fromkeys(("d", "day", "days"), DAY),
    **dict.fromkeys(("д", "дн", "день", "дня", "дней"), DAY),
}

# Whole-phrase durations without a number ("на час", "for half an hour").
PHRASES: dict[tuple[str, ...], int] = {
    ("час",): HOUR,
    ("полчаса",): 30,
    ("hour",): HOUR,
    ("an", "hour"): HOUR,
    ("half", "an", "hour"): 30,
    ("полтора", "часа"): 90,
}

# Words joining two pieces ("1 hour and 30 minutes", "1 час и 30 минут").
_AND = frozenset({"and", "и"})
# Half an hour more after hours ("an hour and a half", "час с половиной").
_AND_A_HALF = (("and", "a", "half"), ("с", "половиной"))

# Six digits are plenty; the cap also keeps int() far from its digit limit.
_NUMBER = r"\d{1,6}(?:[.,]\d{1,4})?"
_PART = re.compile(rf"({_NUMBER})([a-zа-я]+)\.?")
_COMPACT = re.compile(rf"(?:{_NUMBER}[a-zа-я]+\.?)+(\d{{1,2}})?")
_BARE_NUMBER = re.compile(_NUMBER)


@dataclass(frozen=True, slots=True)
class DurationRead:
    minutes: Fraction
    end: int  # index of the first token after the duration


def read_duration(tokens: tuple[Token, ...], start: int) -> DurationRead | None:
    """The duration that starts at ``tokens[start]``, or ``None`` when none does.

    Several pieces may follow each other (``1h 30m``, ``1 hour and 30
    minutes``), largest unit first; hours may end "and a half".
    """
    for phrase, minutes in PHRASES.items():
        words = tuple(t.low for t in tokens[start : start + len(phrase)])
        if words == phrase and all(
            t.kind is Kind.WORD for t in tokens[start : start + len(phrase)]
        ):
            return _with_a_half(tokens, Fraction(minutes), start + len(phrase), minutes == HOUR)
    pieces: list[tuple[Fraction, int]] = []
    i = start
    while i < len(tokens) and tokens[i].kind is Kind.WORD:
        joined = bool(pieces) and tokens[i].low in _AND
        at = i + 1 if joined else i
        found, step = _piece(tokens, at)
        if found is None:
            break
        pieces.extend(found)
        i = at + step
    if not pieces or not _largest_first(pieces):
        return None
    total = sum((value * unit for value, unit in pieces), Fraction(0))
    return _with_a_half(tokens, total, i, pieces[-1][1] == HOUR)


def _piece(tokens: tuple[Token, ...], i: int) -> tuple[list[tuple[Fraction, int]] | None, int]:
    """The pieces of a duration at ``tokens[i]`` ("1h30m", or "30 minutes"),
    with how many tokens they take."""
    if i >= len(tokens) or tokens[i].kind is not Kind.WORD:
        return None, 0
    found = _compact_pieces(tokens[i].low)
    if found is not None:
        return found, 1
    return _number_and_unit(tokens, i), 2


def _with_a_half(
    tokens: tuple[Token, ...], minutes: Fraction, end: int, hours: bool
) -> DurationRead:
    """The duration read, and half an hour more when hours end "and a half"."""
    for words in _AND_A_HALF if hours else ():
        taken = tokens[end : end + len(words)]
        if tuple(t.low for t in taken) == words and all(t.kind is Kind.WORD for t in taken):
            return DurationRead(minutes + 30, end + len(words))
    return DurationRead(minutes, end)


def _number(text: str) -> Fraction:
    return Fraction(text.replace(",", "."))


def _compact_pieces(word: str) -> list[tuple[Fraction, int]] | None:
    match = _COMPACT.fullmatch(word)
    if match is None:
        return None
    pieces: list[tuple[Fraction, int]] = []
    body = word[: match.start(1)] if match.group(1) else word
    for part in _PART.finditer(body):
        unit = UNITS.get(part.group(2))
        if unit is None:
            return None
        pieces.append((_number(part.group(1)), unit))
    if match.group(1):
        # "1h30" / "1ч30": the trailing number is minutes after hours.
        if pieces[-1][1] != HOUR:
            return None
        pieces.append((Fraction(int(match.group(1))), MINUTE))
    return pieces


def _number_and_unit(tokens: tuple[Token, ...], i: int) -> list[tuple[Fraction, int]] | None:
    if i + 1 >= len(tokens) or tokens[i + 1].kind is not Kind.WORD:
        return None
    if _BARE_NUMBER.fullmatch(tokens[i].low) is None:
        return None
    unit = UNITS.get(tokens[i + 1].low.rstrip("."))
    if unit is None:
        return None
    return [(_number(tokens[i].low), unit)]


def _largest_first(pieces: list[tuple[Fraction, int]]) -> bool:
    units = [unit for _, unit in pieces]
    return all(a > b for a, b in pairwise(units))


def meeting_length(minutes: Fraction, phrase: str) -> timedelta:
    """A meeting's duration, checked: whole minutes, from 1 minute to 24 hours."""
    if minutes.denominator != 1 or not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise GrammarError(keys.DURATION_OUT_OF_RANGE, keys.EX_DURATION, word=phrase)
    return timedelta(minutes=minutes.numerator)
