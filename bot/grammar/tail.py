"""What follows a meeting's schedule: ``for <duration>``, the topic (bare words
or one quoted string) and the people to invite, in any order."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from bot.chat import Mention
from bot.grammar import keys
from bot.grammar.durations import HOUR, read_duration
from bot.grammar.errors import GrammarError
from bot.grammar.mentions import merge_mentions, parse_mention
from bot.grammar.tokens import Kind, Token

FOR_WORDS = frozenset({"for", "на"})
MAX_TOPIC = 240  # TrueConf's limit on a conference topic
MIN_MINUTES, MAX_MINUTES = 1, 24 * HOUR


@dataclass(frozen=True, slots=True)
class Tail:
    duration: timedelta | None
    topic: str
    invitees: tuple[Mention, ...]


def read_tail(
    tokens: tuple[Token, ...], start: int, resolved: tuple[Mention, ...], example: str
) -> Tail:
    duration: timedelta | None = None
    words: list[str] = []
    typed: list[Mention] = []
    i = start
    while i < len(tokens):
        token = tokens[i]
        if token.kind is Kind.MENTION:
            typed.append(parse_mention(token, keys.EX_MENTION))
            i += 1
        elif token.kind is Kind.WORD and token.low in FOR_WORDS and _announces_duration(tokens, i):
            if duration is not None:
                raise GrammarError(keys.TWO_DURATIONS, keys.EX_DURATION)
            duration, i = _duration(tokens, i + 1)
        else:
            words.append(token.text)
            i += 1
    topic = clean_text(" ".join(words))
    if len(topic) > MAX_TOPIC:
        raise GrammarError(
            keys.TOPIC_TOO_LONG, example, length=str(len(topic)), limit=str(MAX_TOPIC)
        )
    return Tail(duration, topic, merge_mentions(typed, resolved))


# Control characters and bidi overrides could repaint a terminal or make a
# topic read backwards in a chat; they never belong in a topic or a name.
_INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean_text(text: str) -> str:
    """One line, single spaces, no control characters: topics and names are shown
    in one-line places."""
    return re.sub(r"\s+", " ", _INVISIBLE.sub(" ", text)).strip()


def _announces_duration(tokens: tuple[Token, ...], i: int) -> bool:
    """``for``/``на`` starts a duration when a number or a duration word follows;
    otherwise it is part of the topic ("Обзор на неделю", "Plan for launch")."""
    if i + 1 >= len(tokens):
        return True  # a dangling "for" at the end: say the duration is missing
    following = tokens[i + 1]
    if following.kind is not Kind.WORD:
        return False
    # A signed number ("for -1h") is a wrong duration, not a topic.
    looks_numeric = following.low.lstrip("+-")[:1].isdigit()
    return looks_numeric or read_duration(tokens, i + 1) is not None


def _duration(tokens: tuple[Token, ...], start: int) -> tuple[timedelta, int]:
    example = keys.EX_DURATION
    if start >= len(tokens):
        raise GrammarError(keys.MISSING_DURATION, example)
    found = read_duration(tokens, start)
    if found is None:
        raise GrammarError(keys.BAD_DURATION, example, word=tokens[start].text)
    phrase = " ".join(t.text for t in tokens[start : found.end])
    minutes = found.minutes
    if minutes.denominator != 1 or not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise GrammarError(keys.DURATION_OUT_OF_RANGE, example, word=phrase)
    return timedelta(minutes=minutes.numerator), found.end
