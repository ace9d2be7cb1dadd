"""One-time starts around DST changes in Europe/Berlin."""

from __future__ import annotations

from datetime import datetime, time

import pytest

from bot.commands import NewMeeting, Usage
from bot.grammar import keys
from bot.schedule import Once, Weekday, Weekly
from tests.unit.grammar.support import p, utc

BERLIN = "Europe/Berlin"
BEFORE_SPRING = utc(2027, 3, 1, 12, 0)  # clocks jump 02:00 -> 03:00 on 2027-03-28
BEFORE_AUTUMN = utc(2026, 10, 1, 12, 0)  # clocks fall 03:00 -> 02:00 on 2026-10-25


def start_of(text: str, now: datetime) -> datetime:
    result = p(text, now=now, zone=BERLIN)
    assert isinstance(result, NewMeeting), result
    assert isinstance(result.schedule, Once)
    return result.schedule.start


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("once 2027-03-28 01:30", utc(2027, 3, 28, 0, 30)),  # CET, UTC+1
        ("once 2027-03-28 03:30", utc(2027, 3, 28, 1, 30)),  # CEST, UTC+2
        ("28.03.2027 01:59", utc(2027, 3, 28, 0, 59)),
        ("28 марта 2027 03:00", utc(2027, 3, 28, 1, 0)),
    ],
)
def test_spring_forward_sides(text: str, start: datetime) -> None:
    assert start_of(text, BEFORE_SPRING) == start


@pytest.mark.parametrize("text", ["once 2027-03-28 02:30", "28 mar 02:00", "28.03.2027 02:59"])
def test_spring_gap_is_a_usage(text: str) -> None:
    result = p(text, now=BEFORE_SPRING, zone=BERLIN)
    assert isinstance(result, Usage)
    assert result.problem == keys.NONEXISTENT_TIME
    assert result.params["zone"] == BERLIN
    assert result.params["when"].startswith("2027-03-28 02:")


def test_tomorrow_in_the_gap_is_a_usage() -> None:
    result = p("tomorrow 02:30", now=utc(2027, 3, 27, 12, 0), zone=BERLIN)
    assert result == Usage(
        keys.NONEXISTENT_TIME,
        keys.EX_ONCE,
        {"word": "tomorrow 02:30", "when": "2027-03-28 02:30", "zone": BERLIN},
    )


def test_ambiguous_autumn_time_takes_the_first_occurrence() -> None:
    # 02:30 happens twice: first at UTC+2 (00:30 UTC), then at UTC+1 (01:30 UTC).
    assert start_of("once 2026-10-25 02:30", BEFORE_AUTUMN) == utc(2026, 10, 25, 0, 30)


def test_autumn_sides() -> None:
    assert start_of("once 2026-10-25 01:30", BEFORE_AUTUMN) == utc(2026, 10, 24, 23, 30)
    assert start_of("once 2026-10-25 03:30", BEFORE_AUTUMN) == utc(2026, 10, 25, 2, 30)


def test_relative_start_ignores_the_wall_clock_jump() -> None:
    # 01:30 CET + 2h of real time is 04:30 CEST: the instant is what counts.
    assert start_of("in 2h", utc(2027, 3, 28, 0, 30)) == utc(2027, 3, 28, 2, 30)


def test_weekly_keeps_the_wall_clock_and_zone() -> None:
    result = p("weekly sun 02:30", now=BEFORE_SPRING, zone=BERLIN)
    assert isinstance(result, NewMeeting)
    assert result.schedule == Weekly(frozenset({Weekday.SUNDAY}), time(2, 30), BERLIN)
