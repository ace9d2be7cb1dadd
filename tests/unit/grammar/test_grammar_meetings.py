"""New meetings: every schedule form, durations, topics and mentions, in both languages."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from bot.chat import Mention
from bot.commands import NewMeeting, Usage
from bot.schedule import ALL_DAYS, WEEKDAYS, Instant, Once, Weekday, Weekly
from tests.unit.grammar.support import ZONE, p, utc

MON, TUE, WED, THU, FRI, SAT, SUN = Weekday


def meeting(text: str) -> NewMeeting:
    result = p(text)
    assert isinstance(result, NewMeeting), result
    return result


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "now Incident call @oncall @alice",
            NewMeeting(Instant(), None, "Incident call", (Mention("oncall"), Mention("alice"))),
        ),
        ("now", NewMeeting(Instant(), None, "")),
        ("NOW for 15m", NewMeeting(Instant(), timedelta(minutes=15), "")),
        (
            "сейчас Разбор инцидента @oncall",
            NewMeeting(Instant(), None, "Разбор инцидента", (Mention("oncall"),)),
        ),
        (
            "tomorrow 15:00 for 1h Design review @carol",
            NewMeeting(
                Once(utc(2026, 11, 24, 12, 0), ZONE),
                timedelta(hours=1),
                "Design review",
                (Mention("carol"),),
            ),
        ),
        (
            "завтра 15:00 на 1ч Обзор @carol",
            NewMeeting(
                Once(utc(2026, 11, 24, 12, 0), ZONE),
                timedelta(hours=1),
                "Обзор",
                (Mention("carol"),),
            ),
        ),
        (
            "once 2026-12-01 09:30 for 45m Retro",
            NewMeeting(Once(utc(2026, 12, 1, 6, 30), ZONE), timedelta(minutes=45), "Retro"),
        ),
        (
            "weekly mon,wed,fri 10:00 for 30m Standup @alice @bob",
            NewMeeting(
                Weekly(frozenset({MON, WED, FRI}), time(10, 0), ZONE),
                timedelta(minutes=30),
                "Standup",
                (Mention("alice"), Mention("bob")),
            ),
        ),
        (
            "weekly weekdays 09:00 Daily",
            NewMeeting(Weekly(WEEKDAYS, time(9, 0), ZONE), None, "Daily"),
        ),
    ],
)
def test_design_examples(text: str, expected: NewMeeting) -> None:
    assert p(text) == expected


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("tomorrow 15:00", utc(2026, 11, 24, 12, 0)),
        ("Tomorrow at 15:00", utc(2026, 11, 24, 12, 0)),
        ("15:00 tomorrow", utc(2026, 11, 24, 12, 0)),
        ("tomorrow 9:30", utc(2026, 11, 24, 6, 30)),
        ("tomorrow 15.00", utc(2026, 11, 24, 12, 0)),
        ("tomorrow 3pm", utc(2026, 11, 24, 12, 0)),
        ("tomorrow 3:30pm", utc(2026, 11, 24, 12, 30)),
        ("tomorrow 3:30 PM", utc(2026, 11, 24, 12, 30)),
        ("tomorrow 12am", utc(2026, 11, 23, 21, 0)),
        ("tomorrow 12pm", utc(2026, 11, 24, 9, 0)),
        ("завтра 15:00", utc(2026, 11, 24, 12, 0)),
        ("завтра в 15", utc(2026, 11, 24, 12, 0)),
        ("на завтра в 15:00", utc(2026, 11, 24, 12, 0)),
        ("today 18:30", utc(2026, 11, 23, 15, 30)),
        ("сегодня 18:30", utc(2026, 11, 23, 15, 30)),
        ("послезавтра 10:00", utc(2026, 11, 25, 7, 0)),
        ("once 2026-12-01 09:30", utc(2026, 12, 1, 6, 30)),
        ("разово 2026-12-01 09:30", utc(2026, 12, 1, 6, 30)),
        ("однажды 01.12.2026 09:30", utc(2026, 12, 1, 6, 30)),
        ("once tomorrow 15:00", utc(2026, 11, 24, 12, 0)),
        # "at": the next occurrence; it is 11:00 in Moscow.
        ("at 15:00", utc(2026, 11, 23, 12, 0)),
        ("at 10:00", utc(2026, 11, 24, 7, 0)),
        ("at 11:00", utc(2026, 11, 24, 8, 0)),
        ("at 15", utc(2026, 11, 23, 12, 0)),
        ("в 15:00", utc(2026, 11, 23, 12, 0)),
        ("в 9:00", utc(2026, 11, 24, 6, 0)),
        ("15:00", utc(2026, 11, 23, 12, 0)),
        # dates
        ("2026-12-01 09:30", utc(2026, 12, 1, 6, 30)),
        ("01.12.2026 09:30", utc(2026, 12, 1, 6, 30)),
        ("1.12.26 09:30", utc(2026, 12, 1, 6, 30)),
        ("01.12 09:30", utc(2026, 12, 1, 6, 30)),
        ("01.09 09:30", utc(2027, 9, 1, 6, 30)),  # passed long ago: next year's
        ("1 dec 09:30", utc(2026, 12, 1, 6, 30)),
        ("1 December 09:30", utc(2026, 12, 1, 6, 30)),
        ("dec 1st 09:30", utc(2026, 12, 1, 6, 30)),
        ("Dec 1, 2027 09:30", utc(2027, 12, 1, 6, 30)),
        ("1 декабря 09:30", utc(2026, 12, 1, 6, 30)),
        ("1 дек 09:30", utc(2026, 12, 1, 6, 30)),
        ("1 декабря 2027 г. в 09:30", utc(2027, 12, 1, 6, 30)),
        ("3 января 10:00", utc(2027, 1, 3, 7, 0)),
        ("23 nov 18:00", utc(2026, 11, 23, 15, 0)),
        ("on 2026-12-01 at 09:30", utc(2026, 12, 1, 6, 30)),
        ("on 1 dec at 9:30am", utc(2026, 12, 1, 6, 30)),
        # weekdays: strictly in the future, so Monday on a Monday is next week
        ("mon 10:00", utc(2026, 11, 30, 7, 0)),
        ("monday 10:00", utc(2026, 11, 30, 7, 0)),
        ("mon 18:00", utc(2026, 11, 30, 15, 0)),
        ("on tuesday at 10:00", utc(2026, 11, 24, 7, 0)),
        ("next mon 10:00", utc(2026, 11, 30, 7, 0)),  # next week: no Monday left in this one
        ("пн 10:00", utc(2026, 11, 30, 7, 0)),
        ("понедельник 10:00", utc(2026, 11, 30, 7, 0)),
        ("в среду в 10:00", utc(2026, 11, 25, 7, 0)),
        ("во вторник 10:00", utc(2026, 11, 24, 7, 0)),
        ("вс 10:00", utc(2026, 11, 29, 7, 0)),
        # relative
        ("in 2h", utc(2026, 11, 23, 10, 0)),
        ("in 90 min", utc(2026, 11, 23, 9, 30)),
        ("in 1h30m", utc(2026, 11, 23, 9, 30)),
        ("in 2 days", utc(2026, 11, 25, 8, 0)),
        ("через 2ч", utc(2026, 11, 23, 10, 0)),
        ("через 30 минут", utc(2026, 11, 23, 8, 30)),
        ("через 2 часа", utc(2026, 11, 23, 10, 0)),
    ],
)
def test_one_time_start(text: str, start: datetime) -> None:
    assert meeting(text) == NewMeeting(Once(start, ZONE), None, "")


def test_relative_start_drops_seconds() -> None:
    result = p("in 1h", now=utc(2026, 11, 23, 8, 0) + timedelta(seconds=42))
    assert isinstance(result, NewMeeting)
    assert result.schedule == Once(utc(2026, 11, 23, 9, 0), ZONE)


@pytest.mark.parametrize(
    ("text", "days", "at"),
    [
        ("weekly mon,wed,fri 10:00", {MON, WED, FRI}, time(10, 0)),
        ("weekly mon wed 10:00", {MON, WED}, time(10, 0)),
        ("weekly mon, wed 10:00", {MON, WED}, time(10, 0)),
        ("weekly Mon,WED at 10:00", {MON, WED}, time(10, 0)),
        ("weekly mon and thu 10:00", {MON, THU}, time(10, 0)),
        ("weekly mon-fri 9:30", set(WEEKDAYS), time(9, 30)),
        ("weekly mon - wed 9:30", {MON, TUE, WED}, time(9, 30)),
        ("weekly fri-mon 9:30", {FRI, SAT, SUN, MON}, time(9, 30)),
        ("weekly tuesday,thursday 3pm", {TUE, THU}, time(15, 0)),
        ("weekly weekdays 09:00", set(WEEKDAYS), time(9, 0)),
        ("weekly weekend 11:00", {SAT, SUN}, time(11, 0)),
        ("weekly daily 09:00", set(ALL_DAYS), time(9, 0)),
        ("daily 09:00", set(ALL_DAYS), time(9, 0)),
        ("every day 09:00", set(ALL_DAYS), time(9, 0)),
        ("weekdays 09:00", set(WEEKDAYS), time(9, 0)),
        ("every monday 10:00", {MON}, time(10, 0)),
        ("every week fri 16:00", {FRI}, time(16, 0)),
        ("еженедельно пн,ср 10:00", {MON, WED}, time(10, 0)),
        ("еженедельно пн-пт 10:00", set(WEEKDAYS), time(10, 0)),
        ("еженедельно пн–пт 10:00", set(WEEKDAYS), time(10, 0)),
        ("еженедельно понедельник 10:00", {MON}, time(10, 0)),
        ("еженедельно сб вс 12:00", {SAT, SUN}, time(12, 0)),
        ("каждую неделю вт чт 10:00", {TUE, THU}, time(10, 0)),
        ("ежедневно 9:00", set(ALL_DAYS), time(9, 0)),
        ("каждый день 9:00", set(ALL_DAYS), time(9, 0)),
        ("будни 9:00", set(WEEKDAYS), time(9, 0)),
        ("по будням в 9:00", set(WEEKDAYS), time(9, 0)),
        ("еженедельно будни 9:00", set(WEEKDAYS), time(9, 0)),
        ("по понедельникам и средам в 10:00", {MON, WED}, time(10, 0)),
        ("каждую пятницу 17:00", {FRI}, time(17, 0)),
        # "on" before the days, as one says it ("“on” is not a day" before).
        ("weekly on monday at 10am", {MON}, time(10, 0)),
        ("weekly on mon,wed 10:00", {MON, WED}, time(10, 0)),
        ("every week on fridays at 16:00", {FRI}, time(16, 0)),
        ("еженедельно по понедельникам в 10:00", {MON}, time(10, 0)),
        ("еженедельно в среду в 10:00", {WED}, time(10, 0)),
        ("каждую неделю во вторник 10:00", {TUE}, time(10, 0)),
    ],
)
def test_weekly(text: str, days: set[Weekday], at: time) -> None:
    assert meeting(text).schedule == Weekly(frozenset(days), at, ZONE)


@pytest.mark.parametrize(("text", "word"), [("weekly on 10:00", "on"), ("weekly on", "on")])
def test_weekly_on_without_days_still_names_the_word(text: str, word: str) -> None:
    answer = p(text)
    assert isinstance(answer, Usage)
    assert answer.params["word"] == word


@pytest.mark.parametrize(
    ("tail", "minutes"),
    [
        ("for 30m", 30),
        ("for 1h30m", 90),
        ("for 1h30", 90),
        ("for 1h 30m", 90),
        ("for 1 hour 30 minutes", 90),
        ("for 90 min", 90),
        ("for 90min", 90),
        ("for 1.5h", 90),
        ("for 2 hours", 120),
        ("for an hour", 60),
        ("for half an hour", 30),
        ("for 1m", 1),
        ("for 24h", 24 * 60),
        ("на 30м", 30),
        ("на 1ч", 60),
        ("на 1ч30м", 90),
        ("на 90 мин", 90),
        ("на 2 часа", 120),
        ("на 1,5 часа", 90),
        ("на час", 60),
        ("на полчаса", 30),
        ("на полтора часа", 90),
    ],
)
def test_duration(tail: str, minutes: int) -> None:
    assert meeting(f"tomorrow 15:00 {tail}").duration == timedelta(minutes=minutes)


@pytest.mark.parametrize(
    ("tail", "minutes"),
    [
        ("for an hour and a half Sync", 90),
        ("for 1 hour and a half Sync", 90),
        ("for 2 hours and a half Sync", 150),
        ("for 1 hour and 30 minutes Sync", 90),
        ("for 1h and 30m Sync", 90),
        ("на 1 час и 30 минут Sync", 90),
        ("на час с половиной Sync", 90),
        ("на 2 часа с половиной Sync", 150),
    ],
)
def test_a_duration_said_with_and_is_read_whole(tail: str, minutes: int) -> None:
    # From a new user's trial: "for an hour and a half Sync" made a meeting of
    # 1 h called "and a half Sync".
    result = meeting(f"tomorrow 15:00 {tail}")
    assert (result.duration, result.topic) == (timedelta(minutes=minutes), "Sync")


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("now Design review", "Design review"),
        ('now "Design review"', "Design review"),
        ("now 'Design review'", "Design review"),
        ("now «Обзор дизайна»", "Обзор дизайна"),
        ("now “Design review”", "Design review"),
        ("now „Обзор“", "Обзор"),
        ('now "  spaced   out  "', "spaced out"),
        ("now Alice's plan", "Alice's plan"),
        ("now Plan for launch", "Plan for launch"),
        ("now Обзор на неделю", "Обзор на неделю"),
        ("now Retro for 30m", "Retro"),
        ("now   Retro   ", "Retro"),
        # A second time is no topic word unless quoted (bare, it is refused:
        # test_grammar_said); the quotes say it belongs to the topic.
        ('tomorrow 15:00 "16:00 talk"', "16:00 talk"),
        ("now " + "x" * 240, "x" * 240),
    ],
)
def test_topic(text: str, topic: str) -> None:
    assert meeting(text).topic == topic


@pytest.mark.parametrize(
    ("text", "invitees"),
    [
        ("now @alice @bob", (Mention("alice"), Mention("bob"))),
        ("now @alice @Alice @bob @alice", (Mention("alice"), Mention("bob"))),
        ("now @alice, @bob.", (Mention("alice"), Mention("bob"))),
        (
            "now @ivan.petrov @a_b-c @иван",
            (Mention("ivan.petrov"), Mention("a_b-c"), Mention("иван")),
        ),
        ("now <@U123ABC>", (Mention("U123ABC", user_id="U123ABC"),)),
        ("now <@U123ABC|alice>", (Mention("alice", user_id="U123ABC"),)),
        ("now <@U1|alice> <@U1>", (Mention("alice", user_id="U1"),)),
        ("now Sync @alice with <@U2|bob>", (Mention("alice"), Mention("bob", user_id="U2"))),
    ],
)
def test_mentions(text: str, invitees: tuple[Mention, ...]) -> None:
    assert meeting(text).invitees == invitees


def test_resolved_mentions_enrich_typed_ones_and_the_rest_follow() -> None:
    resolved = (
        Mention("bob", user_id="U2", email="bob@example.com"),
        Mention("Carol Name", user_id="T9"),  # Telegram text mention: not in the text as @
    )
    result = p("now Sync <@U2> @alice", mentions=resolved)
    assert isinstance(result, NewMeeting)
    assert result.invitees == (
        Mention("bob", user_id="U2", email="bob@example.com"),
        Mention("alice"),
        Mention("Carol Name", user_id="T9"),
    )
    assert result.topic == "Sync"


def test_resolved_mention_matches_typed_handle() -> None:
    resolved = (Mention("alice", user_id="42"),)
    result = p("now @Alice", mentions=resolved)
    assert isinstance(result, NewMeeting)
    assert result.invitees == (Mention("alice", user_id="42"),)


def test_everything_at_once_in_any_order() -> None:
    assert p("weekly пн,ср 10:00 @alice «Планёрка команды» на 30м @bob") == NewMeeting(
        Weekly(frozenset({MON, WED}), time(10, 0), ZONE),
        timedelta(minutes=30),
        "Планёрка команды",
        (Mention("alice"), Mention("bob")),
    )


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        # From a new user's trial: the topic was "Sync with and".
        ("tomorrow 15:00 Sync with @alice and @bob", "Sync"),
        ("tomorrow 15:00 Sync with @alice, @bob and @carol", "Sync"),
        ("tomorrow 15:00 Sync with @alice & @bob", "Sync"),
        # From a new user's trial: the topic was "Sync w/".
        ("tomorrow 15:00 Sync w/ @alice & @bob", "Sync"),
        ("tomorrow 15:00 Sync + @alice", "Sync"),
        ("tomorrow 15:00 Sync @alice + @bob", "Sync"),
        ("tomorrow 15:00 Sync, @alice, @bob", "Sync"),
        ("tomorrow 15:00 Sync with @alice about the budget", "Sync about the budget"),
        ("now Sync @alice with <@U2|bob>", "Sync"),
        ("tomorrow 15:00 Sync @alice and budget", "Sync and budget"),
        ("tomorrow 15:00 Rock and roll @alice", "Rock and roll"),
        ("tomorrow 15:00 with @alice", ""),
        ("завтра 15:00 Созвон с @alice и @bob", "Созвон"),
        ("завтра 15:00 Созвон со @alice, @bob и @carol", "Созвон"),
        ("завтра 15:00 Обзор с @alice по бюджету", "Обзор по бюджету"),
        ("завтра 15:00 Чай и кофе @alice", "Чай и кофе"),
        ('tomorrow 15:00 "Sync with and" @alice', "Sync with and"),
    ],
)
def test_the_words_that_join_mentions_leave_the_topic_with_them(text: str, topic: str) -> None:
    result = meeting(text)
    assert result.topic == topic
    assert Mention("alice") in result.invitees
