"""Clock times: ``15:00``, ``9:30``, ``15.00``, ``3pm``, ``3:30 pm``, and a bare
hour (``at 15``, ``в 15``) where a keyword has announced a time."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time

from bot.grammar import keys
from bot.grammar.errors import GrammarError
from bot.grammar.tokens import Kind, Token

_CLOCK = re.compile(r"(\d{1,2})[:.](\d{2})")
_MERIDIEM = re.compile(r"(\d{1,2})(?::(\d{2}))?(am|pm|a\.m\.|p\.m\.)")
_MERIDIEM_WORDS = {"am": "am", "a.m.": "am", "pm": "pm", "p.m.": "pm"}
_HOUR = re.compile(r"\d{1,2}")
# Looks like a clock time but may be out of range: answered with "bad time".
_TIME_SHAPED = re.compile(r"\d{1,4}[:.]\d{1,4}|\d{1,4}(?::\d{1,4})?(?:am|pm|a\.m\.|p\.m\.)")


@dataclass(frozen=True, slots=True)
class TimeRead:
    at: time
    end: int


def read_time(
    tokens: tuple[Token, ...], start: int, *, example: str, bare_hour: bool = False
) -> TimeRead | None:
    """The clock time at ``tokens[start]``; ``None`` when there is none.

    Raises ``GrammarError(BAD_TIME)`` for a time-shaped word out of range (``25:00``).
    """
    if start >= len(tokens) or tokens[start].kind is not Kind.WORD:
        return None
    word = tokens[start].low
    nxt = tokens[start + 1].low if start + 1 < len(tokens) else ""
    # "3:30 pm" before "3:30", or the "pm" would end up in the topic.
    if nxt in _MERIDIEM_WORDS and (match := re.fullmatch(r"(\d{1,2})(?::(\d{2}))?", word)):
        at = _twelve_hour(int(match[1]), int(match[2] or 0), nxt, f"{word} {nxt}", example)
        return TimeRead(at, start + 2)
    if match := _CLOCK.fullmatch(word):
        return TimeRead(_clock(int(match[1]), int(match[2]), word, example), start + 1)
    if match := _MERIDIEM.fullmatch(word):
        at = _twelve_hour(int(match[1]), int(match[2] or 0), match[3], word, example)
        return TimeRead(at, start + 1)
    if bare_hour and _HOUR.fullmatch(word):
        return TimeRead(_clock(int(word), 0, word, example), start + 1)
    if looks_like_time(word):
        raise GrammarError(keys.BAD_TIME, example, word=tokens[start].text)
    return None


def looks_like_time(word: str) -> bool:
    return _TIME_SHAPED.fullmatch(word.lower()) is not None


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
