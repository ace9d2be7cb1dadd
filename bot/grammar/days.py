"""Day names and weekly day sets: ``mon,wed,fri``, ``mon wed``, ``mon-fri``,
``weekdays``/``будни``, ``daily``, ``пн-пт``, ``понедельник``."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.grammar.tokens import Kind, Token
from bot.schedule import ALL_DAYS, WEEKDAYS, Weekday

MON, TUE, WED, THU, FRI, SAT, SUN = Weekday

DAY_NAMES: dict[str, Weekday] = {
    **dict.fromkeys(("mon", "monday", "mondays"), MON),
    **dict.fromkeys(("tue", "tues", "tuesday", "tuesdays"), TUE),
    **dict.fromkeys(("wed", "weds", "wednesday", "wednesdays"), WED),
    **dict.fromkeys(("thu", "thur", "thurs", "thursday", "thursdays"), THU),
    **dict.fromkeys(("fri", "friday", "fridays"), FRI),
    **dict.fromkeys(("sat", "saturday", "saturdays"), SAT),
    **dict.fromkeys(("sun", "sunday", "sundays"), SUN),
    # Russian: abbreviation, nominative, accusative ("в среду"), plural dative
    # ("по средам") and genitive.
    **dict.fromkeys(("пн", "пон", "понедельник", "понедельникам", "понедельника"), MON),
    **dict.fromkeys(("вт", "вторник", "вторникам", "вторника"), TUE),
    **dict.fromkeys(("ср", "среда", "среду", "средам", "среды"), WED),
    **dict.fromkeys(("чт", "четверг", "четвергам", "четверга"), THU),
    **dict.fromkeys(("пт", "пятница", "пятницу", "пятницам", "пятницы"), FRI),
    **dict.fromkeys(("сб", "суббота", "субботу", "субботам", "субботы"), SAT),
    **dict.fromkeys(("вс", "воскресенье", "воскресеньям", "воскресенья"), SUN),
}

GROUPS: dict[str, frozenset[Weekday]] = {
    **dict.fromkeys(("weekdays", "workdays", "будни", "будням"), WEEKDAYS),
    **dict.fromkeys(("weekend", "weekends", "выходные", "выходным"), frozenset({SAT, SUN})),
    **dict.fromkeys(("daily", "everyday", "ежедневно"), ALL_DAYS),
}

# Words allowed between day names: "mon and wed", "пн и ср".
CONNECTORS = frozenset({"and", "и", "&"})

_DASHES = re.compile(r"\s*[-–—]\s*")
_SPLIT = re.compile(r"[,\s]+")


def day_name(word: str) -> Weekday | None:
    return DAY_NAMES.get(word.lower().replace("ё", "е").rstrip("."))


def _fragments(word: str) -> list[str]:
    return [f.rstrip(".") for f in re.split(r"[,\-–—]", word)]


def is_day_word(token: Token) -> bool:
    """Whether a token can belong to a day list (names, groups, commas, dashes)."""
    if token.kind is not Kind.WORD:
        return False
    fragments = _fragments(token.low)
    return all(f == "" or f in DAY_NAMES or f in GROUPS or f in CONNECTORS for f in fragments)


def unknown_fragment(token: Token) -> str:
    """The first piece of a would-be day list that is not a day (for the Usage)."""
    folded, typed = _fragments(token.low), _fragments(token.text)
    for index, fragment in enumerate(folded):
        if fragment and fragment not in DAY_NAMES and fragment not in GROUPS:
            # Named as typed ("Планёрка", not the folded "планерка").
            return typed[index] if len(typed) == len(folded) else token.text
    return token.text


@dataclass(frozen=True, slots=True)
class DaysRead:
    days: frozenset[Weekday]
    end: int
    bad: str | None = None  # a piece that looked like a day list but is not


def read_days(tokens: tuple[Token, ...], start: int) -> DaysRead:
    """The day set written from ``tokens[start]`` on (possibly empty)."""
    end = start
    while end < len(tokens) and is_day_word(tokens[end]):
        end += 1
    spec = _DASHES.sub("-", " ".join(t.low for t in tokens[start:end]))
    days: set[Weekday] = set()
    for item in _SPLIT.split(spec):
        if not item or item in CONNECTORS:
            continue
        if item in GROUPS:
            days |= GROUPS[item]
            continue
        ends = item.split("-")
        names = [DAY_NAMES.get(e.rstrip(".")) for e in ends]
        if len(names) > 2 or None in names:
            return DaysRead(frozenset(days), end, bad=item)
        first, last = names[0], names[-1]
        assert first is not None
        assert last is not None
        days |= _range(first, last)
    return DaysRead(frozenset(days), end)


def _range(first: Weekday, last: Weekday) -> set[Weekday]:
    """Inclusive, wrapping past Sunday: ``fri-mon`` is Friday to Monday."""
    span = (last - first) % 7
    return {first.shifted(offset) for offset in range(span + 1)}
