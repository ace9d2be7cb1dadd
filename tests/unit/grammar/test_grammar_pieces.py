"""The small modules on their own: tokenizer, durations, days, times, and the
dateparser behaviour the date module relies on."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from bot.grammar import keys
from bot.grammar.dates import read_date
from bot.grammar.days import read_days
from bot.grammar.durations import read_duration
from bot.grammar.errors import Ambiguous, GrammarError
from bot.grammar.times import read_time
from bot.grammar.tokens import Kind, Token, tokenize
from bot.schedule import Weekday

TODAY = date(2026, 11, 23)  # a Monday


def words(text: str) -> tuple[Token, ...]:
    return tokenize(text)


def test_tokenizer_kinds() -> None:
    assert tokenize('now "a b" @c <@U1|d e> x\'s «ф» „q“') == (
        Token(Kind.WORD, "now"),
        Token(Kind.QUOTED, "a b"),
        Token(Kind.MENTION, "@c"),
        Token(Kind.MENTION, "<@U1|d e>"),
        Token(Kind.WORD, "x's"),
        Token(Kind.QUOTED, "ф"),
        Token(Kind.QUOTED, "q"),
    )


def test_tokenizer_unterminated_quote() -> None:
    with pytest.raises(GrammarError) as error:
        tokenize("now 'open")
    assert error.value.problem == keys.UNTERMINATED_QUOTE


@pytest.mark.parametrize(
    ("text", "minutes", "end"),
    [
        ("30m rest", 30, 1),
        ("1h 30m rest", 90, 2),
        ("1 hour 30 min", 90, 4),
        ("1.5h", 90, 1),
        ("1,5ч", 90, 1),
        ("2d", 2 * 24 * 60, 1),
        ("полчаса", 30, 1),
        ("0.1h", 6, 1),
    ],
)
def test_read_duration(text: str, minutes: int, end: int) -> None:
    found = read_duration(words(text), 0)
    assert found is not None
    assert (found.minutes, found.end) == (Fraction(minutes), end)


@pytest.mark.parametrize("text", ["x", "30", "30x", "30m1h", "1m 1h", "9999999h", "m30"])
def test_not_a_duration(text: str) -> None:
    assert read_duration(words(text), 0) is None


@pytest.mark.parametrize(
    ("text", "days", "end"),
    [
        ("mon,wed,fri 10:00", {0, 2, 4}, 1),
        ("пн - ср 10:00", {0, 1, 2}, 3),
        ("sat-tue", {5, 6, 0, 1}, 1),
        ("будни и сб", {0, 1, 2, 3, 4, 5}, 3),
        ("10:00", set(), 0),
    ],
)
def test_read_days(text: str, days: set[int], end: int) -> None:
    found = read_days(words(text), 0)
    assert found.days == frozenset(Weekday(d) for d in days)
    assert found.end == end
    assert found.bad is None


def test_read_time_bare_hour_only_when_announced() -> None:
    assert read_time(words("15"), 0, example=keys.EX_AT) is None
    found = read_time(words("15"), 0, example=keys.EX_AT, bare_hour=True)
    assert found is not None
    assert found.at.hour == 15


# dateparser: pin the readings the grammar depends on, so an upgrade that
# changes them fails here rather than in a chat.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 dec", date(2026, 12, 1)),
        ("dec 1st", date(2026, 12, 1)),
        ("December 1, 2027", date(2027, 12, 1)),
        ("1 декабря", date(2026, 12, 1)),
        ("1 дек.", date(2026, 12, 1)),
        ("1 декабря 2027 г.", date(2027, 12, 1)),
        ("15 сентября", date(2027, 9, 15)),
        ("1 сент", date(2027, 9, 1)),
        ("23 nov", date(2026, 11, 23)),  # today still counts
        ("22 sep", date(2027, 9, 22)),  # two months ago means next year
        ("29 feb", date(2028, 2, 29)),
        ("5 мая", date(2027, 5, 5)),
    ],
)
def test_month_phrases_through_dateparser(text: str, expected: date) -> None:
    found = read_date(words(text), 0, TODAY)
    assert found is not None
    assert found.day == expected
    assert found.end == len(words(text))


@pytest.mark.parametrize("text", ["22 nov", "22.11", "1 oct"])
def test_a_date_passed_lately_is_offered_as_next_years_to_confirm(text: str) -> None:
    # Yesterday, or less than two months ago: likely a slip, never taken unasked.
    with pytest.raises(Ambiguous) as asked:
        read_date(words(f"{text} 10:00"), 0, TODAY)
    assert asked.value.problem == keys.ASK_PAST_DATE
    assert asked.value.confirm
    assert len(asked.value.readings) == 1
    assert asked.value.readings[0].startswith("2027-")


@pytest.mark.parametrize("text", ["30 feb", "31 апреля"])
def test_impossible_month_phrase(text: str) -> None:
    with pytest.raises(GrammarError) as error:
        read_date(words(text), 0, TODAY)
    assert error.value.problem == keys.BAD_DATE


@pytest.mark.parametrize("text", ["Design", "15:00", "1 maybe", "next", "2 hours"])
def test_not_a_date(text: str) -> None:
    assert read_date(words(text), 0, TODAY) is None
