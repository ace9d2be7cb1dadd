"""A time zone written beside a time ("15:00 EST", "3pm Europe/Moscow",
"15:00 по Москве", "15:00 Moscow time").

A line's times are read in the person's zone; a zone written after one would
otherwise start the topic, and the meeting would be made at another hour than
meant. It is asked about, never taken: "EST" and "CST" name several zones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from bot.grammar.tokens import Kind, Token
from bot.timerules import canonical_zone
from bot.zone_cities import city_zones
from bot.zone_names import POSIX_STYLE, fixed_offset, old_zone

# Abbreviations people write after a time; only in capitals ("Cet review" and
# "utc migration" are topics).
ABBREVIATIONS = frozenset(
    {
        "UTC", "GMT", "EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT", "AKST",
        "ET", "CT", "MT", "PT",
        "HST", "AST", "NST", "WET", "WEST", "CET", "CEST", "EET", "EEST", "BST", "IST", "MSK",
        "SAMT", "YEKT", "OMST", "NOVT", "KRAT", "IRKT", "YAKT", "VLAT", "MAGT", "PETT",
        "JST", "KST", "HKT", "SGT", "AEST", "AEDT", "ACST", "AWST", "NZST", "NZDT",
    }
)  # fmt: skip
# Moscow time as Russians write it, in any case ("15:00 мск"): no topic starts so.
ANY_CASE = frozenset({"мск"})
# "UTC+3", "GMT-05:00", "utc+3", in brackets or not.
_OFFSET = re.compile(r"\(?(?:utc|gmt)[+-]\d{1,2}(?::?\d{2})?\)?", re.IGNORECASE)


def looks_like_zone(token: Token) -> bool:
    if token.kind is not Kind.WORD:
        return False
    bare = token.text.strip("()")
    return (
        bare in ABBREVIATIONS
        or bare.casefold() in ANY_CASE
        or bare.upper() in POSIX_STYLE
        or _OFFSET.fullmatch(token.text) is not None
        or ("/" in bare and canonical_zone(bare) is not None)
    )


# The abbreviations that name one zone; the others ("EST", "CST", "IST") and
# offsets name several places, or one that /meet tz would take as a fixed
# offset without its summer time.
_ONE_ZONE = {
    "UTC": "UTC",
    "GMT": "UTC",
    "MSK": "Europe/Moscow",
    "мск": "Europe/Moscow",
    # US Eastern and Pacific time, summer and winter ("3pm ET"); "CT" and
    # "MT" name several (Chicago or Mexico City; Denver or Phoenix).
    "ET": "America/New_York",
    "PT": "America/Los_Angeles",
}


def _zone_of(token: Token) -> str | None:
    bare = token.text.strip("()")
    if "/" in bare:  # "Etc/GMT-3" names no place: /meet tz refuses it
        return None if old_zone(bare) is not None else canonical_zone(bare)
    return _ONE_ZONE.get(bare) or _ONE_ZONE.get(bare.casefold())  # "MSK"; "МСК", "Мск"


@dataclass(frozen=True, slots=True)
class Written:
    """A zone written from a token on: where it ends, the IANA zone it names
    when it names one (``None``: "EST", "UTC+3"), and its UTC offset when it
    is a fixed one ("UTC", "UTC+3", "по Гринвичу"; ``None``: "EST", "MSK")."""

    end: int
    zone: str | None
    offset: timedelta | None = None


def _written(token: Token, end: int) -> Written:
    return Written(end, _zone_of(token), fixed_offset(token.text.strip("()")))


def _phrase(end: int, zone: str) -> Written:
    return Written(end, zone, timedelta(0) if zone == "UTC" else None)


# Russian city forms after "по" ("по Москве", "по московскому времени") and
# after "по времени" ("по времени Москвы"), with the zone each names.
_RU_DATIVE: dict[str, str] = {
    **dict.fromkeys(("москве", "московскому", "петербургу", "санкт-петербургу"), "Europe/Moscow"),
    **dict.fromkeys(("калининграду", "калининградскому"), "Europe/Kaliningrad"),
    **dict.fromkeys(("самаре", "самарскому"), "Europe/Samara"),
    **dict.fromkeys(("екатеринбургу", "екатеринбургскому"), "Asia/Yekaterinburg"),
    **dict.fromkeys(("омску", "омскому"), "Asia/Omsk"),
    **dict.fromkeys(("новосибирску", "новосибирскому"), "Asia/Novosibirsk"),
    **dict.fromkeys(("красноярску", "красноярскому"), "Asia/Krasnoyarsk"),
    **dict.fromkeys(("иркутску", "иркутскому"), "Asia/Irkutsk"),
    **dict.fromkeys(("якутску", "якутскому"), "Asia/Yakutsk"),
    **dict.fromkeys(("владивостоку", "владивостокскому"), "Asia/Vladivostok"),
    **dict.fromkeys(("магадану", "магаданскому"), "Asia/Magadan"),
    **dict.fromkeys(("камчатке", "камчатскому"), "Asia/Kamchatka"),
    **dict.fromkeys(("киеву", "киевскому"), "Europe/Kyiv"),
    **dict.fromkeys(("минску", "минскому"), "Europe/Minsk"),
    **dict.fromkeys(("лондону", "лондонскому"), "Europe/London"),
    **dict.fromkeys(("нью-йорку", "нью-йоркскому"), "America/New_York"),
    **dict.fromkeys(("ташкенту", "ташкентскому"), "Asia/Tashkent"),
    **dict.fromkeys(("еревану", "ереванскому"), "Asia/Yerevan"),
    **dict.fromkeys(("баку", "бакинскому"), "Asia/Baku"),
    "берлину": "Europe/Berlin", "парижу": "Europe/Paris", "алматы": "Asia/Almaty",
    "тбилиси": "Asia/Tbilisi", "гринвичу": "UTC",
}  # fmt: skip
_RU_GENITIVE: dict[str, str] = {
    "москвы": "Europe/Moscow",
    "киева": "Europe/Kyiv",
    "минска": "Europe/Minsk",
    "лондона": "Europe/London",
    "новосибирска": "Asia/Novosibirsk",
    "екатеринбурга": "Asia/Yekaterinburg",
    "владивостока": "Asia/Vladivostok",
    "гринвича": "UTC",
}
_BY_WORDS = frozenset({"by", "in", "on"})  # "by Moscow time", "in London time"
# Places of the IANA database that are English words too: "Easter time
# off", "North time sync" are topics.
_WORDS_NOT_CITIES = frozenset(
    {"act", "center", "east", "west", "north", "south", "general", "easter", "wake", "oral",
     "troll", "virgin", "knox", "davis", "casey", "palmer", "stanley", "resolute"}
)  # fmt: skip


def _city(words: list[str]) -> tuple[str, ...]:
    """The zones a city of the words names, as in "London time": several
    for a name of two clocks ("Mountain")."""
    city = " ".join(words)
    return () if city in _WORDS_NOT_CITIES else city_zones(city)


def written_zone(tokens: tuple[Token, ...], i: int) -> Written | None:
    """A zone written at ``tokens[i]``: a word ("EST", "Europe/Moscow") or a
    phrase ("по Москве", "по московскому времени", "по времени Москвы", "по
    МСК", "Moscow time", "by New York time"); ``None``: the words are a topic
    ("по проекту", "Time review", "London office")."""
    if looks_like_zone(tokens[i]):
        return _written(tokens[i], i + 1)
    words = [t.low if t.kind is Kind.WORD else "" for t in tokens[i : i + 5]]
    if words[0] == "по" and len(words) > 1:
        if words[1] in _RU_DATIVE:
            end = i + 3 if words[2:3] == ["времени"] else i + 2
            return _phrase(end, _RU_DATIVE[words[1]])
        if words[1] == "времени" and words[2:3] and words[2] in _RU_GENITIVE:
            return _phrase(i + 3, _RU_GENITIVE[words[2]])
        if looks_like_zone(tokens[i + 1]):
            return _written(tokens[i + 1], i + 2)
        return None
    start = 1 if words[0] in _BY_WORDS else 0
    for size in (3, 2, 1):
        if words[start + size : start + size + 1] == ["time"] and words[start + size - 1]:
            zones = _city(words[start : start + size])
            if len(zones) > 1:
                return Written(i + start + size + 1, None)
            if zones:
                return _phrase(i + start + size + 1, zones[0])
    return None
