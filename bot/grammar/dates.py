"""Calendar dates of one-time meetings: ``today``/``завтра``, weekday names,
``2026-12-01``, ``01.12.2026``, ``01.12``, ``1 dec``/``1 декабря``/``dec 1st 2027``.

Numeric dates are exact, so ``datetime.date`` checks them. Phrases with month
names (inflected Russian, abbreviations, ordinals) go to dateparser; this module
only decides where such a phrase starts and ends.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.grammar import keys
from bot.grammar.days import day_name
from bot.grammar.errors import Ambiguous, GrammarError
from bot.grammar.times import announces_time, looks_like_time
from bot.grammar.tokens import Kind, Token

RELATIVE_DAYS: dict[str, int] = {
    "today": 0,
    "сегодня": 0,
    "tomorrow": 1,
    "завтра": 1,
    "послезавтра": 2,
}

# Recognition only: dateparser does the interpretation (and knows more forms).
MONTHS = frozenset(
    {
        *("jan", "january", "feb", "february", "mar", "march", "apr", "april", "may"),
        *("jun", "june", "jul", "july", "aug", "august", "sep", "sept", "september"),
        *("oct", "october", "nov", "november", "dec", "december"),
        *("янв", "январь", "января", "фев", "февр", "февраль", "февраля", "мар", "март"),
        *("марта", "апр", "апрель", "апреля", "май", "мая", "июн", "июнь", "июня", "июл"),
        *("июль", "июля", "авг", "август", "августа", "сен", "сент", "сентябрь", "сентября"),
        *("окт", "октябрь", "октября", "ноя", "нояб", "ноябрь", "ноября", "дек", "декабрь"),
        "декабря",
    }
)

# "next monday" / "в следующий понедельник": the next such day either way.
NEXT_WORDS = frozenset({"next", "следующий", "следующую", "следующее", "след"})
# A week named without its day ("edit 12 next week"): how many weeks ahead.
WEEKS: dict[tuple[str, str], int] = {
    **dict.fromkeys((("this", "week"), ("этой", "неделе"), ("эту", "неделю")), 0),
    **dict.fromkeys((("next", "week"), ("following", "week")), 1),
    **dict.fromkeys((("следующей", "неделе"), ("следующую", "неделю")), 1),
    ("следующая", "неделя"): 1,
}
YEAR_SUFFIXES = frozenset({"г", "г.", "года"})
# A date without a year that passed less than this long ago is asked about,
# not taken as next year's: a meeting nearly a year off is rare, a slip of
# the day or month is not.
JUST_PASSED = timedelta(days=60)

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})")
_DOTTED_SHORT = re.compile(r"(\d{1,2})\.(\d{1,2})")
_SLASHED = re.compile(r"\d{1,4}/\d{1,2}(?:/\d{1,4})?")
_SLASHED_DATE = re.compile(r"(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?")
_YEAR_FIRST = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})")
_DAY_NUMBER = re.compile(r"(\d{1,2})(?:st|nd|rd|th|-го|-е|-ое)?,?")
_YEAR = re.compile(r"\d{4},?")


@dataclass(frozen=True, slots=True)
class DateRead:
    day: date
    end: int


def read_date(tokens: tuple[Token, ...], start: int, today: date) -> DateRead | None:
    """The date written at ``tokens[start]``, relative to the person's ``today``."""
    words = [t.low if t.kind is Kind.WORD else "" for t in tokens[start : start + 4]]
    if not words or not words[0]:
        return None
    first = words[0]
    if first in RELATIVE_DAYS:
        return DateRead(today + timedelta(days=RELATIVE_DAYS[first]), start + 1)
    skip = 1 if first in NEXT_WORDS and len(words) > 1 else 0
    weekday = day_name(words[skip])
    if weekday is not None:
        # Strictly in the future: "mon 10:00" said on a Monday is next week.
        ahead = (weekday - today.weekday() - 1) % 7 + 1
        day = today + timedelta(days=ahead)
        if skip and today.weekday() + ahead <= 6:
            # "next friday" said on a Tuesday: this week's, or the next
            # week's? People mean both; asked, never guessed.
            raise Ambiguous(
                keys.ASK_DATE,
                first=start,
                last=start + skip + 1,
                readings=(day.isoformat(), (day + timedelta(days=7)).isoformat()),
            )
        return DateRead(day, start + skip + 1)
    if skip:
        return None
    return _numeric(tokens, start, first, today) or _with_month(tokens, start, words, today)


def _numeric(tokens: tuple[Token, ...], start: int, word: str, today: date) -> DateRead | None:
    text = tokens[start].text
    if match := _ISO.fullmatch(word):
        return DateRead(_exact(int(match[1]), int(match[2]), int(match[3]), text), start + 1)
    if match := _DOTTED.fullmatch(word):
        year = int(match[3]) + (2000 if len(match[3]) == 2 else 0)
        return DateRead(_exact(year, int(match[2]), int(match[1]), text), start + 1)
    if match := _YEAR_FIRST.fullmatch(word):
        return DateRead(_exact(int(match[1]), int(match[2]), int(match[3]), text), start + 1)
    if match := _SLASHED_DATE.fullmatch(word):
        return DateRead(_slashed(match, today, text, start), start + 1)
    if _SLASHED.fullmatch(word):
        raise GrammarError(keys.BAD_DATE, keys.EX_DATE, word=text)
    following = tokens[start + 1].low if start + 1 < len(tokens) else ""
    if match := _DOTTED_SHORT.fullmatch(word):
        day, month = int(match[1]), int(match[2])
        # "01.12 09:30", "01.12 at 9": a dotted pair followed by a time is a
        # date, not 01:12; so is one that cannot be a time ("25.12").
        if (
            looks_like_time(following)
            or announces_time(tokens, start + 1)
            or day > 23
            or month > 59
        ):
            day_read = _next_date(month, day, today, text)
            return DateRead(_unless_just_passed(day_read, today, start, start + 1), start + 1)
    return None


def could_be_date(token: Token) -> bool:
    """``22.11`` or ``10.05``: a dotted pair that is a day and a month of some
    year (as well as, perhaps, a time)."""
    match = _DOTTED_SHORT.fullmatch(token.low) if token.kind is Kind.WORD else None
    if match is None:
        return False
    try:
        date(2000, int(match[2]), int(match[1]))  # a leap year: 29.02 is a date
    except ValueError:
        return False
    return True


def _slashed(match: re.Match[str], today: date, text: str, index: int) -> date:
    """``12/25`` and ``25/12`` have one reading each and are taken; ``12/01`` is
    December 1st in one country and January 12th in the next, so it is asked."""
    first, second = int(match[1]), int(match[2])
    year = match[3]
    readings: list[date] = []
    passed = False  # a reading's date passed lately: the next one is offered
    for month, day in ((first, second), (second, first)):
        try:
            if year is not None:
                readings.append(date(int(year) + (2000 if len(year) == 2 else 0), month, day))
            else:
                readings.append(_next_date(month, day, today, text))
                passed = passed or _passed_lately(readings[-1], today)
        except (ValueError, GrammarError):
            continue
    unique = sorted(set(readings))
    if not unique:
        raise GrammarError(keys.BAD_DATE, keys.EX_DATE, word=text)
    if len(unique) == 1:
        return unique[0] if year is not None else _unless_just_passed(unique[0], today, index)
    raise Ambiguous(
        keys.ASK_DATE_PASSED if passed else keys.ASK_DATE,
        first=index,
        last=index + 1,
        readings=tuple(reading.isoformat() for reading in readings),
    )


def _last_before(day: date, today: date) -> date | None:
    """The latest ``day.month``/``day.day`` before ``today`` (29.02: years back)."""
    for year in range(today.year, today.year - 9, -1):
        try:
            candidate = day.replace(year=year)
        except ValueError:
            continue
        if candidate < today:
            return candidate
    return None


def _unless_just_passed(day: date, today: date, first: int, last: int | None = None) -> date:
    """``day``, the next one of a date read without a year, unless the one
    before it passed lately ("01.12" on 7 December, "31.12" on 1 January):
    then asked, with the next one written out as the one reading."""
    if _passed_lately(day, today):
        raise Ambiguous(
            keys.ASK_PAST_DATE,
            first=first,
            last=first + 1 if last is None else last,
            readings=(day.isoformat(),),
            confirm=True,
        )
    return day


def _passed_lately(day: date, today: date) -> bool:
    """Whether the turn of ``day`` (the next one of a date read without a
    year) before it passed lately, so that the date alone is asked about."""
    before = _last_before(day, today)
    return before is not None and today - JUST_PASSED <= before and day != today


def next_if_passed_lately(token: Token, today: date) -> date | None:
    """For a dotted pair (``22.11``), the next such date when the last one
    passed lately: "22.11 15:00" would be asked about, "22.11.2027 15:00" not."""
    match = _DOTTED_SHORT.fullmatch(token.low) if token.kind is Kind.WORD else None
    if match is None:
        return None
    try:
        day = _next_date(int(match[2]), int(match[1]), today, token.text)
    except GrammarError:
        return None
    return day if _passed_lately(day, today) else None


def _exact(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise GrammarError(keys.BAD_DATE, keys.EX_DATE, word=text) from exc


def _next_date(month: int, day: int, today: date, text: str) -> date:
    """The first ``day.month`` on or after ``today`` (29.02 may be years away)."""
    for year in range(today.year, today.year + 9):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    raise GrammarError(keys.BAD_DATE, keys.EX_DATE, word=text)


def _with_month(
    tokens: tuple[Token, ...], start: int, words: list[str], today: date
) -> DateRead | None:
    """``1 dec [2027]``, ``1 декабря [2027 г.]``, ``dec 1st[,] [2027]``."""
    bare = [w.rstrip(".,") for w in words]
    if len(words) < 2:
        return None
    day_first = _DAY_NUMBER.fullmatch(words[0]) is not None and bare[1] in MONTHS
    month_first = bare[0] in MONTHS and _DAY_NUMBER.fullmatch(words[1]) is not None
    if not (day_first or month_first):
        return None
    end = start + 2
    if end < len(tokens) and _YEAR.fullmatch(tokens[end].low):
        end += 1
        if end < len(tokens) and tokens[end].low in YEAR_SUFFIXES:
            end += 1
    phrase = " ".join(t.text for t in tokens[start:end] if t.low not in YEAR_SUFFIXES)
    parsed = _dateparser(phrase, today)
    if parsed is None:
        raise GrammarError(keys.BAD_DATE, keys.EX_DATE, word=phrase)
    if end == start + 2:  # no year written
        parsed = _unless_just_passed(parsed, today, start, end)
    return DateRead(parsed, end)


def _dateparser(phrase: str, today: date) -> date | None:
    # Imported here: dateparser loads language data on import, which every
    # other command (and most of the test suite) does not need.
    import dateparser  # noqa: PLC0415

    # The base is the start of yesterday so that today's date still counts as
    # "future": "23 nov 18:00" said on 23 November is today, not next year.
    base = datetime.combine(today - timedelta(days=1), time())
    try:
        parsed = dateparser.parse(
            phrase,
            languages=["en", "ru"],
            settings={
                "PREFER_DATES_FROM": "future",
                "RELATIVE_BASE": base,
                "RETURN_AS_TIMEZONE_AWARE": False,
                "DATE_ORDER": "DMY",
                "REQUIRE_PARTS": ["day", "month"],
                "PARSERS": ["absolute-time"],
            },
        )
    except Exception:  # a third-party parser must not turn a typo into a traceback
        return None
    return None if parsed is None else parsed.date()
