"""A time zone written beside a time ("15:00 EST", "3pm Europe/Moscow",
"15:00 по Москве", "15:00 Moscow time").

A line's times are read in the person's zone; a zone written after one would
otherwise start the topic, and the meeting would be made at another hour than
meant. It is asked about, never taken: "EST" and "CST" name several zones.
"""

from __future__ import annotations

import re
import zoneinfo
from functools import cache

from bot.grammar.tokens import Kind, Token
from bot.timerules import is_valid_zone

# Abbreviations people write after a time; only in capitals ("Cet review" and
# "utc migration" are topics).
ABBREVIATIONS = frozenset(
    {
        "UTC", "GMT", "EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT", "AKST",
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
        or _OFFSET.fullmatch(token.text) is not None
        or ("/" in bare and is_valid_zone(bare))
    )


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


@cache
def _cities() -> dict[str, str]:
    """The cities of the IANA zones as people write them ("new york" ->
    America/New_York)."""
    found: dict[str, str] = {}
    for name in sorted(zoneinfo.available_timezones()):
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "posix/", "right/")):
            found.setdefault(name.rsplit("/", 1)[1].replace("_", " ").lower(), name)
    return found


def zone_phrase_end(tokens: tuple[Token, ...], i: int) -> int | None:
    """Where a phrase naming a zone that starts at ``tokens[i]`` ends ("по
    Москве", "по московскому времени", "по времени Москвы", "по МСК",
    "Moscow time", "by New York time"); ``None``: no such phrase, the words
    are a topic ("по проекту", "Time review", "London office")."""
    words = [t.low if t.kind is Kind.WORD else "" for t in tokens[i : i + 5]]
    if not words:
        return None
    if words[0] == "по" and len(words) > 1:
        if words[1] in _RU_DATIVE:
            return i + 3 if words[2:3] == ["времени"] else i + 2
        if words[1] == "времени" and words[2:3] and words[2] in _RU_GENITIVE:
            return i + 3
        if looks_like_zone(tokens[i + 1]):
            return i + 2
        return None
    start = 1 if words[0] in _BY_WORDS else 0
    for size in (3, 2, 1):
        city = " ".join(words[start : start + size])
        if words[start + size : start + size + 1] == ["time"] and city in _cities():
            return i + start + size + 1
    return None
