"""Time rules: UTC instants from wall-clock times, weekly rules in the server's
zone, next occurrences. Table tests for the known edges, properties for the rest."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.schedule import ALL_DAYS, Instant, Once, Weekday, Weekly
from bot.timerules import (
    NonexistentLocalTime,
    UnknownZone,
    local_to_utc,
    next_start,
    next_translation_change,
    next_weekly_occurrence,
    weekly_in_server_zone,
    weekly_occurrences,
    weekly_translation_changes,
    zone_info,
)

MON, TUE, WED, SUN = Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.SUNDAY
NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # Monday


# ---- one-time starts on both sides of a DST change ------------------------


@pytest.mark.parametrize(
    ("day", "at", "expected"),
    [
        (date(2027, 3, 28), time(1, 30), datetime(2027, 3, 28, 0, 30, tzinfo=UTC)),  # CET
        (date(2027, 3, 28), time(3, 30), datetime(2027, 3, 28, 1, 30, tzinfo=UTC)),  # CEST
        (date(2026, 10, 25), time(1, 30), datetime(2026, 10, 24, 23, 30, tzinfo=UTC)),  # CEST
        (date(2026, 10, 25), time(3, 30), datetime(2026, 10, 25, 2, 30, tzinfo=UTC)),  # CET
        # 02:30 happens twice when clocks go back: the first one counts.
        (date(2026, 10, 25), time(2, 30), datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
    ],
)
def test_one_time_start_around_dst_in_berlin(day: date, at: time, expected: datetime) -> None:
    assert local_to_utc(day, at, "Europe/Berlin") == expected


def test_a_time_in_the_spring_gap_does_not_exist() -> None:
    with pytest.raises(NonexistentLocalTime):
        local_to_utc(date(2027, 3, 28), time(2, 30), "Europe/Berlin")
    moved = local_to_utc(date(2027, 3, 28), time(2, 30), "Europe/Berlin", strict=False)
    assert moved.astimezone(zone_info("Europe/Berlin")).time() == time(3, 30)


@pytest.mark.parametrize(
    "name",
    ["", "Mars/Olympus", "../etc/passwd", "/etc/localtime", "Europe", "localtime", "Factory"],
)
def test_unknown_zones_are_refused(name: str) -> None:
    with pytest.raises(UnknownZone):
        zone_info(name)


# ---- weekly rules in the server's zone -------------------------------------


def test_crossing_midnight_backwards_moves_the_days() -> None:
    rule = Weekly(frozenset({MON, WED}), time(1, 0), "Europe/Moscow")

    server = weekly_in_server_zone(rule, "UTC", NOW)

    assert server.days == (TUE, SUN)  # Monday 01:00 MSK is Sunday 22:00 UTC
    assert server.hhmm == "22:00"
    assert server.offset_minutes == 0


def test_crossing_midnight_forwards_moves_the_days() -> None:
    rule = Weekly(frozenset({SUN}), time(23, 0), "Europe/London")

    server = weekly_in_server_zone(rule, "Asia/Tokyo", NOW)

    assert server.days == (MON,)
    assert server.hhmm == "08:00"
    assert server.offset_minutes == 9 * 60


def test_same_zone_keeps_the_rule() -> None:
    rule = Weekly(frozenset({MON, WED}), time(10, 0), "Europe/Moscow")

    server = weekly_in_server_zone(rule, "Europe/Moscow", NOW)

    assert (server.days, server.hhmm, server.offset_minutes) == ((MON, WED), "10:00", 180)


def test_dst_in_one_zone_only_is_found() -> None:
    rule = Weekly(frozenset({MON}), time(10, 0), "Europe/Berlin")

    change = weekly_translation_changes(rule, "Europe/Moscow", NOW, timedelta(days=366))

    assert change == datetime(2027, 3, 29, 8, 0, tzinfo=UTC)  # first Monday in CEST
    assert weekly_translation_changes(rule, "Europe/Paris", NOW, timedelta(days=366)) is None


def _first_drift_the_long_way(
    rule: Weekly, server_zone: str, start: datetime, horizon: timedelta
) -> datetime | None:
    """The definition: translate the rule at every occurrence and compare."""
    baseline = weekly_in_server_zone(rule, server_zone, start)
    occurrence = next_weekly_occurrence(rule, start)
    while occurrence < start + horizon:
        here = weekly_in_server_zone(rule, server_zone, occurrence - timedelta(seconds=1))
        if (here.days, here.time) != (baseline.days, baseline.time):
            return occurrence
        occurrence = next_weekly_occurrence(rule, occurrence)
    return None


ZONES = ["Europe/Berlin", "Europe/Moscow", "America/New_York", "Australia/Sydney", "UTC"]


@given(
    days=st.frozensets(st.sampled_from(sorted(ALL_DAYS)), min_size=1),
    at=st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    zone=st.sampled_from(ZONES),
    server_zone=st.sampled_from(ZONES),
    start=st.datetimes(datetime(2026, 1, 1), datetime(2030, 1, 1), timezones=st.just(UTC)),
)
def test_the_first_drift_is_where_translating_each_occurrence_finds_it(
    days: frozenset[Weekday], at: time, zone: str, server_zone: str, start: datetime
) -> None:
    rule = Weekly(days, at, zone)
    horizon = timedelta(days=366)
    assert weekly_translation_changes(
        rule, server_zone, start, horizon
    ) == _first_drift_the_long_way(rule, server_zone, start, horizon)


def _next_change_the_long_way(
    rule: Weekly, server_zone: str, after: datetime, horizon: timedelta
) -> tuple[datetime, datetime] | None:
    """Every occurrence translated, each compared with the one before it."""
    previous = weekly_occurrences(rule, after - timedelta(days=8), 1)[0]
    while (following := next_weekly_occurrence(rule, previous)) <= after:
        previous = following
    occurrence = next_weekly_occurrence(rule, after)
    while occurrence < after + horizon:
        was = weekly_in_server_zone(rule, server_zone, previous - timedelta(microseconds=1))
        now = weekly_in_server_zone(rule, server_zone, occurrence - timedelta(microseconds=1))
        if (was.days, was.time) != (now.days, now.time):
            return occurrence, previous
        previous, occurrence = occurrence, next_weekly_occurrence(rule, occurrence)
    return None


@given(
    days=st.frozensets(st.sampled_from(sorted(ALL_DAYS)), min_size=1),
    at=st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    zone=st.sampled_from([*ZONES, "Asia/Tehran", "Europe/London", "Asia/Jerusalem"]),
    server_zone=st.sampled_from([*ZONES, "Asia/Tehran", "Europe/London", "Asia/Jerusalem"]),
    after=st.datetimes(datetime(2026, 1, 1), datetime(2030, 1, 1), timezones=st.just(UTC)),
)
def test_the_next_change_skips_quiet_weeks_but_no_change(
    days: frozenset[Weekday], at: time, zone: str, server_zone: str, after: datetime
) -> None:
    rule = Weekly(days, at, zone)
    horizon = timedelta(days=400)
    found = next_translation_change(rule, server_zone, after, horizon)
    expected = _next_change_the_long_way(rule, server_zone, after, horizon)
    if zone == server_zone:
        assert found is None
        return
    if expected is None:
        assert found is None
        return
    assert found is not None
    assert (found.occurrence, found.previous) == expected


# ---- next occurrences --------------------------------------------------------


def test_next_start_of_each_schedule_kind() -> None:
    assert next_start(Instant(), NOW) is None
    later = NOW + timedelta(hours=1)
    assert next_start(Once(later, "UTC"), NOW) == later
    assert next_start(Once(NOW - timedelta(hours=1), "UTC"), NOW) is None
    weekly = Weekly(frozenset({MON}), time(10, 0), "Europe/Moscow")
    assert next_start(weekly, NOW) == datetime(2026, 11, 30, 7, 0, tzinfo=UTC)


def test_weekly_occurrence_keeps_local_time_across_dst() -> None:
    rule = Weekly(frozenset({MON}), time(9, 0), "Europe/Berlin")

    before = next_weekly_occurrence(rule, datetime(2027, 3, 20, tzinfo=UTC))
    after = next_weekly_occurrence(rule, before)

    assert before == datetime(2027, 3, 22, 8, 0, tzinfo=UTC)
    assert after == datetime(2027, 3, 29, 7, 0, tzinfo=UTC)


ZONE_CHOICES = st.sampled_from(
    [
        "UTC",
        "Europe/Moscow",
        "Europe/Berlin",
        "America/New_York",
        "Asia/Tokyo",
        "Asia/Kolkata",
        "Australia/Lord_Howe",
        "Pacific/Chatham",
        "America/St_Johns",
    ]
)
INSTANTS = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2060, 1, 1), timezones=st.just(UTC)
)
DAY_SETS = st.frozensets(st.sampled_from(list(Weekday)), min_size=1)
TIMES = st.times().map(lambda t: t.replace(second=0, microsecond=0))


@given(DAY_SETS, TIMES, ZONE_CHOICES, INSTANTS)
def test_next_occurrence_is_soon_after_on_a_rule_day(
    days: frozenset[Weekday], at: time, zone: str, after: datetime
) -> None:
    rule = Weekly(days, at, zone)

    start = next_weekly_occurrence(rule, after)

    assert after < start <= after + timedelta(days=8)
    local = start.astimezone(zone_info(zone))
    assert Weekday(local.weekday()) in days
    if local.time() != at:  # only a DST gap may move it, and only forward
        assert local.time() > at


@given(DAY_SETS, TIMES, ZONE_CHOICES, ZONE_CHOICES, INSTANTS)
def test_server_translation_names_the_same_instant(
    days: frozenset[Weekday], at: time, zone: str, server_zone: str, after: datetime
) -> None:
    rule = Weekly(days, at, zone)
    start = next_weekly_occurrence(rule, after)

    server = weekly_in_server_zone(rule, server_zone, after)

    assert len(server.days) == len(days)
    if start.astimezone(zone_info(zone)).time() == at:  # not moved by a DST gap
        on_server = start.astimezone(zone_info(server_zone))
        assert on_server.time() == server.time
        assert Weekday(on_server.weekday()) in server.days


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 1, 1)), TIMES, ZONE_CHOICES)
def test_existing_local_times_round_trip(day: date, at: time, zone: str) -> None:
    try:
        instant = local_to_utc(day, at, zone)
    except NonexistentLocalTime:
        return
    local = instant.astimezone(zone_info(zone))
    assert (local.date(), local.time()) == (day, at)


def test_all_days_is_every_weekday() -> None:
    assert len(ALL_DAYS) == 7


def test_next_translation_change_names_the_week_before_and_the_drift() -> None:
    rule = Weekly(frozenset({MON}), time(10, 0), "Europe/Berlin")

    change = next_translation_change(rule, "Europe/Moscow", NOW, timedelta(days=400))

    assert change is not None
    assert change.occurrence == datetime(2027, 3, 29, 8, 0, tzinfo=UTC)
    assert change.previous == datetime(2027, 3, 22, 9, 0, tzinfo=UTC)
    assert change.drift_minutes == 60  # the old rule would start it an hour late
    assert next_translation_change(rule, "Europe/Paris", NOW, timedelta(days=400)) is None


def test_a_start_the_rules_zone_skips_is_translated_as_it_happens() -> None:
    # Sunday 02:30 in Berlin does not exist on 29 March 2026: it happens at
    # 03:30 CEST (01:30 UTC), which is 04:30 in Moscow, not 03:30.
    rule = Weekly(frozenset({Weekday.SUNDAY}), time(2, 30), "Europe/Berlin")
    gap = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)

    server = weekly_in_server_zone(rule, "Europe/Moscow", gap)

    assert (server.days, server.hhmm) == ((Weekday.SUNDAY,), "04:30")
    same = weekly_in_server_zone(rule, "Europe/Berlin", gap)
    assert same.hhmm == "02:30"  # the server skips the gap just the same
