"""What follows a meeting's schedule: ``for <duration>``, the topic (bare words
or one quoted string) and the people to invite, in any order."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from bot.chat import Mention
from bot.grammar import keys
from bot.grammar.converted import OnceRead, converted
from bot.grammar.durations import meeting_length, read_duration
from bot.grammar.errors import GrammarError
from bot.grammar.mentions import merge_mentions, parse_mention
from bot.grammar.times import NAMED, split_range
from bot.grammar.tokens import Kind, Token
from bot.grammar.zones import written_zone

FOR_WORDS = frozenset({"for", "на"})
MAX_TOPIC = 240  # TrueConf's limit on a conference topic


@dataclass(frozen=True, slots=True)
class Tail:
    duration: timedelta | None
    topic: str
    invitees: tuple[Mention, ...]


def read_tail(
    tokens: tuple[Token, ...],
    start: int,
    resolved: tuple[Mention, ...],
    example: str,
    duration: timedelta | None = None,
    *,
    zone: str | None = None,
    line: str = "",
    once: OnceRead | None = None,
) -> Tail:
    """``duration`` is one the schedule already gave (``15:00 30m``, ``15:00-16:00``).
    ``zone``: the one the schedule's time was read in, when the line gave a
    time; a zone written at the topic's start is then asked about. ``line``:
    the one ``tokens`` were read from, to offer it put right. ``once``: the
    one-time schedule ``tokens`` start with, to offer a time written at an
    offset in ``zone``."""
    words: list[str] = []
    typed: list[Mention] = []
    joining = _joining_words(tokens, start)
    i = start
    while i < len(tokens):
        token = tokens[i]
        if token.kind is Kind.MENTION:
            typed.append(parse_mention(token, keys.EX_MENTION, line))
            i += 1
        elif i in joining:
            i += 1
        elif token.kind is Kind.WORD and token.low in FOR_WORDS and _announces_duration(tokens, i):
            given = duration
            duration, end = _duration(tokens, i)
            if given is not None:
                phrase = " ".join(t.text for t in tokens[i + 1 : end])
                raise GrammarError(keys.TWO_DURATIONS, keys.EX_DURATION, word=phrase)
            i = end
        else:
            if zone is not None and (not words or _ends_with_zone(tokens, i)):
                # A place's name ending a topic may be the topic's own
                # ("Экскурсия по Москве"): asked about, not offered converted.
                _not_a_zone(tokens, i, zone, line, once, convert_place=not words)
            if token.kind is Kind.WORD:
                _not_a_time(tokens, i, example)
            before_people = i + 1 in joining or _is_mention(tokens, i + 1)
            words.append(token.text.rstrip(",") if before_people else token.text)
            i += 1
    topic = clean_text(" ".join(words))
    if len(topic) > MAX_TOPIC:
        raise GrammarError(
            keys.TOPIC_TOO_LONG,
            example,
            word=first_words(topic),
            length=str(len(topic)),
            limit=str(MAX_TOPIC),
        )
    return Tail(duration, topic, merge_mentions(typed, resolved))


# Mentions never stay in the topic (the card lists them as invited), so the
# words that only joined them leave with them: "Sync with @alice and @bob" is
# "Sync", not "Sync with and" (nor "Sync with alice and bob": a topic of names
# the card shows anyway, and Slack's <@U123> has none to show). Left out: a
# joiner between two mentions, one just before them ("with", "с"), and a
# comma ending the word before them. "Sync @alice and budget" keeps its "and":
# it joins no two mentions. A quoted topic is kept as typed.
# The words that list things: mentions here, meetings after a command's first.
AND_WORDS = frozenset({"and", "&", "+", ",", "и"})
_BEFORE = AND_WORDS | {"with", "w/", "с", "со"}


def _joining_words(tokens: tuple[Token, ...], start: int) -> frozenset[int]:
    """The indexes of the words from ``start`` on that only join mentions."""
    joining: set[int] = set()
    i = start
    while i < len(tokens):
        if not _is_mention(tokens, i):
            i += 1
            continue
        if i > start and _is_word(tokens, i - 1, _BEFORE):
            joining.add(i - 1)
        i += 1  # through the run of mentions and the joiners between them
        while _is_mention(tokens, i) or (
            _is_word(tokens, i, AND_WORDS) and _is_mention(tokens, i + 1)
        ):
            if not _is_mention(tokens, i):
                joining.add(i)
            i += 1
    return frozenset(joining)


def _is_mention(tokens: tuple[Token, ...], i: int) -> bool:
    return i < len(tokens) and tokens[i].kind is Kind.MENTION


def _is_word(tokens: tuple[Token, ...], i: int, words: frozenset[str]) -> bool:
    return i < len(tokens) and tokens[i].kind is Kind.WORD and tokens[i].low in words


# Control characters and bidi overrides could repaint a terminal or make a
# topic read backwards in a chat; they never belong in a topic or a name.
_INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


# Words that set the time of day; in a topic they mean the line was misread.
# A clock time ("16:00", "3pm", "3:30p.m."), not "1:1", "2.10" or "PM sync".
_CLOCK = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?|\d{1,2}(?::\d{2})?(?:am|pm|a\.m\.|p\.m\.)")
_HOURS = frozenset({"час", "часа", "часов"})
_DAY_PARTS = frozenset({"утра", "дня", "вечера", "ночи"})  # "часа дня": part of a time


def _not_a_time(tokens: tuple[Token, ...], i: int, example: str) -> None:
    """A bare word of the topic that reads as a time or a duration ("10:00",
    "3pm", "30m") means the line says more than one schedule or puts the
    duration where it cannot be told from the topic: asked, never guessed."""
    low = tokens[i].low
    following = tokens[i + 1].low if i + 1 < len(tokens) else ""
    if (
        _CLOCK.fullmatch(low)
        or _clock_range(low)
        or (low in _HOURS and following in _DAY_PARTS)
        or (low[:1].isdigit() and read_duration(tokens, i) is not None)
    ):
        raise GrammarError(keys.TIME_IN_TOPIC, example, word=tokens[i].text)


def _clock_range(word: str) -> bool:
    """ "10:00-11:00", "noon-1pm", "11am-noon", "полдень-13:30": both ends a
    clock time or noon/midnight; "1-2" may well be a topic's."""
    ends = split_range(word)
    return ends is not None and all(_CLOCK.fullmatch(end) or end in NAMED for end in ends)


def _not_a_zone(
    tokens: tuple[Token, ...],
    i: int,
    zone: str,
    line: str,
    once: OnceRead | None,
    *,
    convert_place: bool,
) -> None:
    """A zone written where the topic starts ("15:00 EST", "15:00 по Москве")
    is asked about: the time was read in ``zone``, not in the one written.
    A one-time meeting's line is offered in ``zone`` where the zone written
    keeps a fixed offset, or a place's clocks (``convert_place``); else the
    example sets the zone written where it names one other zone; where it
    names ``zone`` itself, the line without it means what was meant."""
    written = written_zone(tokens, i)
    if written is None:
        return
    word = " ".join(t.text for t in tokens[i : written.end])
    convertible = written.offset is not None or convert_place
    if written.zone != zone and once is not None and convertible:
        answer = converted(tokens, i, written, zone=zone, line=line, once=once)
        if answer is not None:
            raise answer
    if written.zone is not None and written.zone != zone:
        raise GrammarError(
            keys.ZONE_NAMED_IN_LINE, keys.EX_TZ_NAMED, word=word, tz=written.zone, zone=zone
        )
    without = ""
    if written.zone == zone and line:
        rest = line[tokens[written.end].start :] if written.end < len(tokens) else ""
        without = f"{line[: tokens[i].start]}{rest}".strip()
    raise GrammarError(keys.ZONE_IN_LINE, keys.EX_TZ_HELP, suggestion=without, word=word, zone=zone)


def _ends_with_zone(tokens: tuple[Token, ...], i: int) -> bool:
    """A zone phrase that ends the topic ("standup EST", "Sync Moscow time",
    "Звонок по Москве"), only people after it: as misread as one starting it.
    A topic that means it ("Экскурсия по Москве") is told to be quoted."""
    written = written_zone(tokens, i)
    return written is not None and all(t.kind is Kind.MENTION for t in tokens[written.end :])


def first_words(text: str, limit: int = 24) -> str:
    """The start of a long text, to name it in an error: whole words up to ``limit``."""
    shown = ""
    for word in text.split():
        if shown and len(shown) + 1 + len(word) > limit:
            break
        shown = f"{shown} {word}" if shown else word[:limit]
    return shown


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


def _duration(tokens: tuple[Token, ...], keyword: int) -> tuple[timedelta, int]:
    """The duration after ``for``/``на`` at ``tokens[keyword]``."""
    example = keys.EX_DURATION
    start = keyword + 1
    if start >= len(tokens):
        raise GrammarError(keys.MISSING_DURATION, example, word=tokens[keyword].text)
    found = read_duration(tokens, start)
    if found is None:
        raise GrammarError(keys.BAD_DURATION, example, word=tokens[start].text)
    phrase = " ".join(t.text for t in tokens[start : found.end])
    return meeting_length(found.minutes, phrase), found.end
