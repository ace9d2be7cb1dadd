"""Zone names people type that are not a place's clocks: the database's old
abbreviation-style zones ("EST", "CET", "EST5EDT") and fixed offsets
("Etc/GMT-3", "UTC+3").

"EST" never switches to EDT, and "Etc/GMT-3" is UTC+3 all year (its sign is
POSIX's, reversed): a person who types one means a place, and which place is
theirs to say. Each comes with example cities, never taken for them. UTC
itself (and its names: "Etc/UTC", "GMT") is a real choice and is none of these.
"""

from __future__ import annotations

import re
from datetime import timedelta

# The old zones, with the cities people who type them usually mean.
_OLD: dict[str, tuple[str, ...]] = {
    "EST": ("America/New_York", "America/Toronto"),
    "EST5EDT": ("America/New_York",),
    "CST6CDT": ("America/Chicago",),
    "MST": ("America/Denver", "America/Phoenix"),
    "MST7MDT": ("America/Denver",),
    "PST8PDT": ("America/Los_Angeles",),
    "HST": ("Pacific/Honolulu",),
    "CET": ("Europe/Berlin", "Europe/Paris"),
    "MET": ("Europe/Berlin", "Europe/Paris"),
    "EET": ("Europe/Kyiv", "Europe/Athens"),
    "WET": ("Europe/Lisbon",),
}
# "EST5EDT" and its kind: no word of a topic is written so, in any case.
POSIX_STYLE = frozenset(name for name in _OLD if any(char.isdigit() for char in name))
# Cities by UTC offset in hours, for a fixed offset typed; none for the few
# offsets no one keeps.
_BY_OFFSET: dict[int, tuple[str, ...]] = {
    -11: ("Pacific/Pago_Pago",),
    -10: ("Pacific/Honolulu",),
    -9: ("America/Anchorage",),
    -8: ("America/Los_Angeles",),
    -7: ("America/Denver", "America/Phoenix"),
    -6: ("America/Chicago", "America/Mexico_City"),
    -5: ("America/New_York", "America/Bogota"),
    -4: ("America/Halifax", "America/Caracas"),
    -3: ("America/Sao_Paulo", "America/Argentina/Buenos_Aires"),
    -2: ("America/Noronha",),
    -1: ("Atlantic/Azores",),
    1: ("Europe/Berlin", "Europe/Paris"),
    2: ("Europe/Kyiv", "Africa/Cairo"),
    3: ("Europe/Moscow", "Asia/Riyadh"),
    4: ("Asia/Dubai", "Europe/Samara"),
    5: ("Asia/Tashkent", "Asia/Karachi"),
    6: ("Asia/Almaty", "Asia/Omsk"),
    7: ("Asia/Novosibirsk", "Asia/Bangkok"),
    8: ("Asia/Shanghai", "Asia/Singapore"),
    9: ("Asia/Tokyo", "Asia/Seoul"),
    10: ("Australia/Sydney", "Asia/Vladivostok"),
    11: ("Asia/Magadan", "Pacific/Noumea"),
    12: ("Pacific/Auckland", "Asia/Kamchatka"),
    13: ("Pacific/Tongatapu",),
    14: ("Pacific/Kiritimati",),
}
# "Etc/GMT-3" (POSIX's sign: UTC+3); "UTC+3", "GMT-05:00" as people write them.
_ETC = re.compile(r"etc/gmt([+-])(\d{1,2})", re.IGNORECASE)
_TYPED = re.compile(r"(?:utc|gmt)([+-])(\d{1,2})(?::?([0-5]\d))?", re.IGNORECASE)
_LARGEST = timedelta(hours=14)  # Kiribati's: no place is further from UTC
# UTC's names, "Etc/UTC" and "GMT" among them.
_UTC = frozenset({"utc", "gmt", "uct", "zulu", "universal", "greenwich", "gmt0", "gmt+0", "gmt-0"})


def old_zone(name: str) -> tuple[str, ...] | None:
    """Example cities for a zone name that is no place's clocks (an empty
    tuple: an offset no city keeps); ``None``: ``name`` is not one (a city's
    zone, UTC, or no zone at all)."""
    if name.upper() in _OLD:
        return _OLD[name.upper()]
    offset = fixed_offset(name)
    if offset is None or not offset:
        return None
    hours, rest = divmod(offset, timedelta(hours=1))
    return () if rest else _BY_OFFSET.get(hours, ())


def fixed_offset(name: str) -> timedelta | None:
    """The UTC offset a fixed-offset name says ("UTC", "Etc/GMT-3", "UTC+3",
    "GMT-05:30"); ``None`` for anything else."""
    if name.lower().removeprefix("etc/") in _UTC:
        return timedelta(0)
    if (etc := _ETC.fullmatch(name)) is not None:
        hours = int(etc[2])
        return timedelta(hours=-hours if etc[1] == "+" else hours)
    typed = _TYPED.fullmatch(name)
    if typed is None:
        return None
    offset = timedelta(hours=int(typed[2]), minutes=int(typed[3] or 0))
    if offset > _LARGEST:
        return None
    return offset if typed[1] == "+" else -offset
