"""``edit <id> …``: every one-time form of the grammar, a time alone, weekly
days and time, a duration and a topic; a bare hour is asked about."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from bot.asking import usage_reply
from bot.chat import Lang
from bot.commands import EditMeeting, Question, RenameMeeting, Usage
from bot.grammar import keys
from bot.grammar.edit import EDIT_NOW, EDIT_PEOPLE, EDIT_WEEK, EX_EDIT_ID, MOVE_NO_TIME
from bot.i18n import Translator
from bot.schedule import WEEKDAYS, Once, Weekday, Weekly
from tests.unit.grammar.support import ZONE, p, utc


def once(year: int, month: int, day: int, hour: int, minute: int = 0) -> Once:
    return Once(utc(year, month, day, hour, minute), ZONE)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("edit 12", EditMeeting("12")),
        ("edit #12 16:00", EditMeeting("12", at=time(16, 0))),
        ("edit 12 at 4pm", EditMeeting("12", at=time(16, 0))),
        ("изменить 12 в 16:00", EditMeeting("12", at=time(16, 0))),
        ("edit 12 вечером в 8", EditMeeting("12", at=time(20, 0))),
        (
            "edit 12 10:00-11:30",
            EditMeeting("12", at=time(10, 0), duration=timedelta(minutes=90)),
        ),
        (
            "edit 12 tomorrow 16:00",
            EditMeeting("12", schedule=Once(utc(2026, 11, 24, 13), ZONE)),
        ),
        ("edit 12 16:00 tomorrow", EditMeeting("12", schedule=Once(utc(2026, 11, 24, 13), ZONE))),
        (
            "reschedule 12 1 dec 09:30",
            EditMeeting("12", schedule=Once(utc(2026, 12, 1, 6, 30), ZONE)),
        ),
        ("move 12 in 2h", EditMeeting("12", schedule=Once(utc(2026, 11, 23, 10), ZONE))),
        (
            "перенести 12 завтра 15:00",
            EditMeeting("12", schedule=Once(utc(2026, 11, 24, 12), ZONE)),
        ),
        (
            "edit 12 weekly mon,wed 11:00",
            EditMeeting(
                "12",
                schedule=Weekly(frozenset({Weekday.MONDAY, Weekday.WEDNESDAY}), time(11), ZONE),
            ),
        ),
        (
            "edit 12 по будням в 9:00",
            EditMeeting("12", schedule=Weekly(WEEKDAYS, time(9), ZONE)),
        ),
        ("edit 12 for 45m", EditMeeting("12", duration=timedelta(minutes=45))),
        (
            "edit 12 weekly mon,thu",
            EditMeeting("12", days=frozenset({Weekday.MONDAY, Weekday.THURSDAY})),
        ),
        ('edit 12 по будням "Daily"', EditMeeting("12", days=WEEKDAYS, topic="Daily")),
        (
            "edit 12 weekly fri for 45m",
            EditMeeting("12", days=frozenset({Weekday.FRIDAY}), duration=timedelta(minutes=45)),
        ),
        ("изменить 12 на 1ч", EditMeeting("12", duration=timedelta(hours=1))),
        ("edit 12 Quarterly review", EditMeeting("12", topic="Quarterly review")),
        ('edit 12 "At 3 we ship"', EditMeeting("12", topic="At 3 we ship")),
        (
            "edit 12 tomorrow 16:00 for 30m Retro",
            EditMeeting(
                "12",
                schedule=Once(utc(2026, 11, 24, 13), ZONE),
                duration=timedelta(minutes=30),
                topic="Retro",
            ),
        ),
        ("edit 12 16:00 Retro", EditMeeting("12", at=time(16, 0), topic="Retro")),
    ],
)
def test_each_form(line: str, expected: EditMeeting) -> None:
    assert p(line) == expected


def test_a_bare_hour_is_asked_about_with_both_lines() -> None:
    asked = p("edit 12 at 3")
    assert isinstance(asked, Question)
    assert [c.line for c in asked.choices] == ["edit 12 at 03:00", "edit 12 at 15:00"]
    assert [c.command for c in asked.choices] == [
        EditMeeting("12", at=time(3, 0)),
        EditMeeting("12", at=time(15, 0)),
    ]


@pytest.mark.parametrize(
    ("line", "problem", "word"),
    [
        ("edit 12 now", EDIT_NOW, "now"),
        ("edit 12 16:00 @bob", EDIT_PEOPLE, "@bob"),
        ("edit 12 23.11 10:00", "grammar.time_in_past", None),
        ("edit 12 tomorrow 15:00 16:00 talk", "grammar.time_in_topic", "16:00"),
        ("edit 12 for", "grammar.missing_duration", None),
        ("edit", "grammar.missing_meeting_id", "edit"),
        ("edit 12 weekly", "grammar.missing_days", None),
        ("edit 12 Daily sync", "grammar.missing_weekly_time", None),
        ("edit 12 weekly mon,xyz", "grammar.unknown_day", None),
    ],
)
def test_what_cannot_be_an_edit_is_named(line: str, problem: str, word: str | None) -> None:
    answer = p(line)
    assert isinstance(answer, Usage)
    assert answer.problem == problem
    if word is not None:
        assert answer.params["word"] == word
    if line.startswith("edit 12 "):  # every problem after the id: an edit of it
        assert answer.example == EX_EDIT_ID
        assert answer.params["id"] == "12"


@pytest.mark.parametrize(
    ("lang", "line", "example"),
    [
        ("en", "edit 1 for 0m", "/meet edit 1 <date> <time>"),
        ("ru", "изменить 2 на 0м", "/meet изменить 2 <дата> <время>"),
        ("en", "edit 7 now", "/meet edit 7 <date> <time>"),
    ],
)
def test_an_edit_error_shows_an_edit_of_the_same_meeting(
    lang: str, line: str, example: str
) -> None:
    answer = p(line)
    assert isinstance(answer, Usage)
    reply = usage_reply(answer, Translator(lang))  # type: ignore[arg-type]
    assert example in reply.plain_text()


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # "to" after the meeting, as one says it: the new time follows it.
        ("move 1 to friday 11am", EditMeeting("1", schedule=once(2026, 11, 27, 8))),
        ("edit 1 to 16:30", EditMeeting("1", at=time(16, 30))),
        (
            "move 1 to tomorrow 16:00 for 30m",
            EditMeeting("1", schedule=once(2026, 11, 24, 13), duration=timedelta(minutes=30)),
        ),
        (
            "move 1 to weekly mon 10:00",
            EditMeeting("1", schedule=Weekly(frozenset({Weekday.MONDAY}), time(10), ZONE)),
        ),
    ],
)
def test_to_between_the_meeting_and_its_new_time_is_read_as_a_connector(
    line: str, expected: EditMeeting
) -> None:
    assert p(line) == expected


def test_to_before_a_date_without_its_time_is_a_new_date_not_a_topic() -> None:
    # It was the topic "to friday", the meeting silently renamed.
    assert p("move 1 to friday") == EditMeeting("1", day=date(2026, 11, 27))


FRIDAY = date(2026, 11, 27)  # the Friday after Monday 23 November 2026


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("reschedule 1 friday", EditMeeting("1", day=FRIDAY)),
        ("move 1 to friday", EditMeeting("1", day=FRIDAY)),
        ("edit 1 friday", EditMeeting("1", day=FRIDAY)),
        ("move 1 on fri", EditMeeting("1", day=FRIDAY)),
        ("move 1 next monday", EditMeeting("1", day=date(2026, 11, 30))),
        ("перенести 1 на пятницу", EditMeeting("1", day=FRIDAY)),
        ("перенести 1 в пятницу", EditMeeting("1", day=FRIDAY)),
        ("перенести 1 завтра", EditMeeting("1", day=date(2026, 11, 24))),
        ("move 1 25.12", EditMeeting("1", day=date(2026, 12, 25))),
        ("move 1 2026-12-25", EditMeeting("1", day=date(2026, 12, 25))),
        ("move 1 01.12.2026", EditMeeting("1", day=date(2026, 12, 1))),
        ("move 1 25 dec", EditMeeting("1", day=date(2026, 12, 25))),
        (
            "move 1 friday for 45m",
            EditMeeting("1", day=FRIDAY, duration=timedelta(minutes=45)),
        ),
        ('move 1 friday "Retro"', EditMeeting("1", day=FRIDAY, topic="Retro")),
    ],
)
def test_a_date_alone_is_a_new_day_that_keeps_the_time(line: str, expected: EditMeeting) -> None:
    # From a new user's trial: "move 1 friday" asked for a start time; the
    # handler puts the meeting's own time of day on the new date.
    assert p(line) == expected


@pytest.mark.parametrize(
    ("line", "problem", "suggestion"),
    [
        # Bare words after the day may be a topic that starts with it: asked.
        ("edit 1 Friday review", "grammar.missing_time", "edit 1 Friday <time> review"),
        ("move 1 friday morning", "grammar.missing_period_time", "move 1 friday morning <time>"),
    ],
)
def test_a_date_with_more_than_a_duration_or_quoted_topic_after_it_is_still_asked(
    line: str, problem: str, suggestion: str
) -> None:
    answer = p(line)
    assert isinstance(answer, Usage)
    assert (answer.problem, answer.suggestion) == (problem, suggestion)


def test_to_before_a_bare_hour_asks_the_hour_with_the_line_as_typed() -> None:
    asked = p("move 1 to friday 3")
    assert isinstance(asked, Question)
    assert [c.line for c in asked.choices] == ["move 1 to friday 03:00", "move 1 to friday 15:00"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("rename 1 to Retro", RenameMeeting("1", "Retro")),
        ("rename 1 to the moon and back", RenameMeeting("1", "the moon and back")),
        ('rename 1 "to the moon"', RenameMeeting("1", "to the moon")),
        ("rename 1 Retro to go", RenameMeeting("1", "Retro to go")),
    ],
)
def test_rename_reads_to_after_the_meeting_as_a_connector(
    line: str, expected: RenameMeeting
) -> None:
    # It was kept: "rename 1 to Retro" named the meeting "to Retro".
    assert p(line) == expected


def test_rename_with_to_and_nothing_after_it_asks_for_the_topic() -> None:
    answer = p("rename 1 to")
    assert isinstance(answer, Usage)
    assert (answer.problem, answer.params["word"]) == ("grammar.missing_topic", "to")


@pytest.mark.parametrize(
    ("line", "suggestion"),
    [
        ("rename 1", "rename 1 New topic"),
        ("rename 7 to", "rename 7 to New topic"),
        ("переименовать 1", "переименовать 1 Новая тема"),
        # Russian's "в" asks for "в Новую тему": the line without it reads right.
        ("переименовать 3 в", "переименовать 3 Новая тема"),
        ("переименовать 3 во", "переименовать 3 Новая тема"),
        ("Переименовать #3 НА ", "Переименовать #3 Новая тема"),
    ],
)
def test_rename_without_a_topic_offers_the_line_with_one(line: str, suggestion: str) -> None:
    # The stock example renamed meeting 12, which the person had not named.
    answer = p(line)
    assert isinstance(answer, Usage)
    assert (answer.problem, answer.suggestion) == ("grammar.missing_topic", suggestion)
    assert isinstance(p(suggestion), RenameMeeting)
    assert usage_reply(answer, Translator("en")).plain_text().endswith("/meet " + suggestion)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("переименовать 1 в Ретро", RenameMeeting("1", "Ретро")),
        ("переименовать 1 во Вторник-шоу", RenameMeeting("1", "Вторник-шоу")),
        ("переименовать 1 на Новая тема", RenameMeeting("1", "Новая тема")),
        ('переименовать 1 "в гостях"', RenameMeeting("1", "в гостях")),
    ],
)
def test_rename_reads_russian_v_and_na_after_the_meeting_as_a_connector(
    line: str, expected: RenameMeeting
) -> None:
    # From a new user's trial: "переименовать 1 в Новая тема" named it "в Новая тема".
    assert p(line) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("изменить 1 на 16:00", EditMeeting("1", at=time(16, 0))),
        ("перенести 1 на 16:30", EditMeeting("1", at=time(16, 30))),
        ("перенести 1 на 4pm", EditMeeting("1", at=time(16, 0))),
        ("изменить 1 на 1ч", EditMeeting("1", duration=timedelta(hours=1))),
        ("изменить 1 на 90 мин", EditMeeting("1", duration=timedelta(minutes=90))),
    ],
)
def test_edit_reads_na_before_a_time_of_day_as_a_connector(
    line: str, expected: EditMeeting
) -> None:
    # From a new user's trial: "изменить 1 на 16:00" answered that 16:00 is not a duration.
    assert p(line) == expected


@pytest.mark.parametrize(
    ("line", "word"),
    [
        ("move 12 to the big room", "the big room"),
        ("move 12 +1h", "+1h"),
        ("reschedule 12 later", "later"),
        ("перенести 12 на потом", "на потом"),
    ],
)
def test_a_move_without_a_time_is_refused_not_made_a_rename(line: str, word: str) -> None:
    # "move 1 to next week" renamed meeting 1 "next week" and kept its time
    # (a week alone is now asked about as such, below).
    answer = p(line)
    assert isinstance(answer, Usage), answer
    assert (answer.problem, answer.params["word"], answer.params["id"]) == (
        MOVE_NO_TIME,
        word,
        "12",
    )
    for lang in ("en", "ru"):
        shown = usage_reply(answer, Translator(lang)).plain_text()
        assert "12" in shown.split("\n")[0]


@pytest.mark.parametrize(
    ("line", "lang", "example", "rename"),
    [
        (
            "перенести 1 на потом",
            "ru",
            "/meet перенести 1 <дата> <время>",
            "/meet переименовать 1 потом.",
        ),
        ("Перенести 1 на потом", "en", "/meet перенести 1 <date> <time>", "/meet rename 1 потом."),
        ("move 1 to later", "en", "/meet move 1 <date> <time>", "/meet rename 1 later."),
        ("reschedule 3 later", "en", "/meet reschedule 3 <date> <time>", "/meet rename 3 later."),
    ],
)
def test_a_move_without_a_time_is_shown_its_own_verb_and_a_rename_without_to(
    line: str, lang: Lang, example: str, rename: str
) -> None:
    # From a new user's trial: "перенести 1 на потом" was shown the edit
    # example (изменить 1 …) and "/meet переименовать 1 на потом".
    answer = p(line)
    assert isinstance(answer, Usage), answer
    problem, shown = usage_reply(answer, Translator(lang)).plain_text().splitlines()
    assert problem.endswith(rename)
    assert shown == example


@pytest.mark.parametrize("line", ["edit 12 Retro", "change 12 Retro", "изменить 12 Ретро"])
def test_edit_and_change_still_take_a_topic_alone(line: str) -> None:
    answer = p(line)
    assert isinstance(answer, EditMeeting), answer
    assert answer.topic is not None


@pytest.mark.parametrize(
    ("line", "word", "week"),
    [
        # Monday 23 November 2026: next week is 30 November to 6 December.
        ("edit 1 next week", "next week", ("2026-11-30", "2026-12-06")),
        ("change 1 to next week", "next week", ("2026-11-30", "2026-12-06")),
        ("edit 1 next week 15:00", "next week", ("2026-11-30", "2026-12-06")),
        ("edit 1 this week", "this week", ("2026-11-23", "2026-11-29")),
        ("move 1 to next week", "next week", ("2026-11-30", "2026-12-06")),
        ("изменить 1 на следующей неделе", "на следующей неделе", ("2026-11-30", "2026-12-06")),
        ("перенести 1 на следующую неделю", "на следующую неделю", ("2026-11-30", "2026-12-06")),
    ],
)
def test_a_week_alone_is_asked_which_day_and_time_not_made_the_topic(
    line: str, word: str, week: tuple[str, str]
) -> None:
    # From a new user's trial: "edit 1 next week" renamed meeting 1 "next week".
    answer = p(line)
    assert isinstance(answer, Usage), answer
    assert answer.problem == EDIT_WEEK
    assert (answer.params["word"], answer.params["first"], answer.params["last"]) == (word, *week)
    assert answer.params["id"] == "1"
    for lang in ("en", "ru"):
        shown = usage_reply(answer, Translator(lang)).plain_text()
        first_line, example = shown.split("\n")[:2]
        assert all(said in first_line for said in (word, *week))
        assert "15:00" not in example  # no time is made up for the person
        assert example.split()[2] == "1"


def test_a_topic_about_a_week_is_still_a_rename() -> None:
    assert p("rename 1 next week") == RenameMeeting("1", "next week")
    assert p('edit 1 "next week"') == EditMeeting("1", topic="next week")


@pytest.mark.parametrize(
    ("line", "word", "suggestion"),
    [
        ("edit 1 at 9zz", "9zz", "edit 1 at <time>"),
        ("edit 1 at 15:00x", "15:00x", "edit 1 at <time>"),
        ("edit 1 at 123 for 30m", "123", "edit 1 at <time> for 30m"),
        ("изменить 1 в 9зз", "9зз", "изменить 1 в <time>"),
    ],
)
def test_a_time_of_day_that_cannot_be_read_is_named_not_made_the_topic(
    line: str, word: str, suggestion: str
) -> None:
    # As "tomorrow at 9zz Sync" is answered (5aec8e3): "edit 1 at 9zz" renamed
    # meeting 1 "at 9zz", its time kept, while "edit 1 at 25:00" was refused.
    answer = p(line)
    assert isinstance(answer, Usage), answer
    assert answer.problem == keys.BAD_TIME
    assert answer.params["word"] == word
    assert answer.suggestion == suggestion
    assert isinstance(p(suggestion.replace("<time>", "16:00")), EditMeeting)


def test_a_quoted_topic_after_at_is_still_a_rename() -> None:
    assert p('edit 1 "at 9zz"') == EditMeeting("1", topic="at 9zz")


def test_an_ordinal_after_at_is_a_rename_not_a_bad_time() -> None:
    # "2nd" starts with a digit but is no time: the topic's word, as it is
    # after a new meeting's date.
    assert p("edit 1 at 2nd floor") == EditMeeting("1", topic="at 2nd floor")
