"""A time zone written beside a time ("15:00 EST", "3pm Europe/Moscow").

A line's times are read in the person's zone; a zone written after one would
otherwise start the topic, and the meeting would be made at another hour than
meant. It is asked about, never taken: "EST" and "CST" name several zones.
"""

from __future__ import annotations

import re

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
