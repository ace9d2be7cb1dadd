"""City names people give for a time zone ("London", "new york", "Москва"):
the city parts of the IANA zones' own names and babel's (CLDR's) Russian
names of those cities, a few forms people write besides.

A name kept only as a link for old systems ("US/Eastern", "Europe/Kiev")
stands for the zone it links to, so a chat is never set to a name the cards
would then show. A name can name zones that keep different clocks ("West":
Australia/Perth and America/Manaus); it is then ambiguous and never taken for
one of them.
"""

from __future__ import annotations

import difflib
import unicodedata
import zoneinfo
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import cache
from importlib import resources

from babel import Locale
from babel.core import get_global

# Names that are not a place's clocks, or a file of the database no one means.
_NOT_PLACES = ("Etc/", "SystemV/", "posix/", "right/")
# Names CLDR has no entry for, and the short ones people write. St
# Petersburg has no zone of its own: without these, "Petersburg" (Indiana)
# was offered for it, eight hours off.
_MORE = {
    "st petersburg": "Europe/Moscow",
    "st. petersburg": "Europe/Moscow",
    "saint petersburg": "Europe/Moscow",
    "petersburg": "Europe/Moscow",  # and Indiana's: asked which
    "петербург": "Europe/Moscow",
    "санкт-петербург": "Europe/Moscow",
    "спб": "Europe/Moscow",
    "камчатка": "Asia/Kamchatka",
    "гринвич": "UTC",
}
# The fewest letters a slip of a city's name has.
_SHORTEST_SLIP = 3
# Instants the zones' clocks are compared at: two names that agree on all of
# them are one zone under two names (America/Buenos_Aires, a link).
_PROBES = tuple(
    datetime(year, month, 1, tzinfo=UTC) for year in range(1970, 2038) for month in (1, 7)
)


@cache
def _links() -> dict[str, str]:
    """Each old name of the time zone database, with the zone it links to
    (the "L target link" lines of tzdata's compiled source)."""
    source = resources.files("tzdata").joinpath("zoneinfo", "tzdata.zi")
    links: dict[str, str] = {}
    for line in source.read_text(encoding="utf-8").splitlines():
        if line.startswith("L "):
            _, target, link = line.split()
            links[link] = target
    return links


def _key(name: str) -> str:
    """A name as compared: any case, "_" as a space, "ё" as "е", a Latin
    letter without its accents ("São Paulo" is the zone's "Sao Paulo")."""
    folded = " ".join(name.replace("_", " ").split()).casefold().replace("ё", "е")
    return unicodedata.normalize("NFC", "".join(_unaccented(folded)))


def _unaccented(text: str) -> Iterator[str]:
    """``text`` decomposed, the marks on Latin letters dropped; a Cyrillic
    letter keeps its own ("й" is not "и")."""
    base = ""
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.combining(char):
            if base < "\u0250":  # after a Latin letter: an accent
                continue
        else:
            base = char
        yield char


def _same_clocks(first: str, second: str) -> bool:
    a, b = zoneinfo.ZoneInfo(first), zoneinfo.ZoneInfo(second)
    return all(at.astimezone(a).utcoffset() == at.astimezone(b).utcoffset() for at in _PROBES)


@cache
def _windows_zones() -> dict[str, str]:
    """Windows' region names, as compared, with CLDR's zone for each
    ("eastern": America/New_York, from "Eastern Standard Time")."""
    suffix = " standard time"
    return {
        _key(name).removesuffix(suffix): zone
        for name, zone in get_global("windows_zone_mapping").items()
        if _key(name).endswith(suffix)
    }


@cache
def _names() -> dict[str, tuple[str, ...]]:
    """Every city name, as compared, with the zones it names (one per clock)."""
    found: dict[str, list[str]] = {}
    zones = sorted(z for z in zoneinfo.available_timezones() if "/" in z)
    links = _links()
    for zone in (z for z in zones if not z.startswith(_NOT_PLACES)):
        found.setdefault(_key(zone.rsplit("/", 1)[1]), []).append(links.get(zone, zone))
    for zone, names in Locale("ru").time_zones.items():
        city = names.get("city")
        if isinstance(city, str) and zone in zones:
            found.setdefault(_key(city), []).append(links.get(zone, zone))
    for city, zone in _MORE.items():
        found.setdefault(city, []).append(zone)
    named: dict[str, tuple[str, ...]] = {}
    for city, candidates in found.items():
        distinct: list[str] = []
        # Of two names with the same clocks ("Canada/Eastern", "US/Eastern"),
        # the zone Windows' region of that name has is the one people mean.
        meant = _windows_zones().get(city)
        for zone in candidates:
            same = [i for i, kept in enumerate(distinct) if _same_clocks(zone, kept)]
            if not same:
                distinct.append(zone)
            elif zone == meant:
                distinct[same[0]] = zone
        named[city] = tuple(distinct)
    return named


def city_zones(name: str) -> tuple[str, ...]:
    """The zones a city name names: one, several (an ambiguous name such as
    "Pacific"), or none."""
    return _names().get(_key(name), ())


def city_zone(name: str) -> str | None:
    """The one zone a city name names; ``None``: none, or several."""
    zones = city_zones(name)
    return zones[0] if len(zones) == 1 else None


def close_cities(name: str, limit: int = 3) -> tuple[tuple[str, str], ...]:
    """Cities whose names are close to a slip ("Londn"), with their zones, as
    (the name as written, the zone): the typed name's alphabet first. Two
    letters are no slip of a city's name ("CT" is not "Act", Sydney)."""
    found: list[tuple[str, str]] = []
    if len(_key(name)) < _SHORTEST_SLIP:
        return ()
    for city in difflib.get_close_matches(_key(name), _names(), n=limit, cutoff=0.75):
        zones = _names()[city]
        if len(zones) == 1:
            found.append((city_name(city, zones[0]), zones[0]))
    return tuple(found)


def city_name(key: str, zone: str) -> str:
    """How a city is written: its zone's city part ("New York"), or the
    Russian name with capitals ("Москва", "Нью-Йорк")."""
    own = zone.rsplit("/", 1)[-1].replace("_", " ")
    if _key(own) == key:
        return own
    return key.title()
