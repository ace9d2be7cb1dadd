"""Every problem the grammar reports, with its parameters, and that each one
renders in both languages."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.asking import usage_reply
from bot.chat import LANGS, Lang
from bot.commands import Usage
from bot.grammar import keys
from bot.i18n import Translator
from tests.unit.grammar.support import p

# A zone /meet tz does not know: cities beside the person's own, and their zone.
_TZ = {"cities": "Moscow, London, New York, Tokyo", "tz": "Europe/Moscow"}
CASES: list[tuple[str, str, str, dict[str, str]]] = [
    # text, problem, example, params
    ("frobnicate 12", keys.UNKNOWN_COMMAND, keys.EX_HELP, {"word": "frobnicate"}),
    ("Проверка", keys.UNKNOWN_COMMAND, keys.EX_HELP, {"word": "Проверка"}),
    ("snooze 12 10m", keys.UNKNOWN_COMMAND, keys.EX_HELP, {"word": "snooze"}),
    ("remind 12", keys.MISSING_OFFSETS, keys.EX_REMIND_ID, {"word": "remind", "id": "12"}),
    ("remind default", keys.MISSING_OFFSETS, keys.EX_REMIND_DEFAULT, {"word": "remind"}),
    ("remind 12 10x", keys.BAD_OFFSET, keys.EX_REMIND_ID, {"word": "10x", "id": "12"}),
    ("remind 12 @bob", keys.BAD_OFFSET, keys.EX_REMIND_ID, {"word": "@bob", "id": "12"}),
    ("remind 12 45d", keys.OFFSET_OUT_OF_RANGE, keys.EX_REMIND_ID, {"word": "45d", "id": "12"}),
    (
        "remind 12 1m,2m,3m,4m,5m,6m",
        keys.TOO_MANY_OFFSETS,
        keys.EX_REMIND_ID,
        {"word": "1m,2m,3m,4m,5m,6m", "limit": "5", "id": "12"},
    ),
    ('now "Design review', keys.UNTERMINATED_QUOTE, keys.EX_TOPIC, {"quote": '"'}),
    ("now «Обзор", keys.UNTERMINATED_QUOTE, keys.EX_TOPIC, {"quote": "«"}),
    ("now @ review", keys.BAD_MENTION, keys.EX_MENTION, {"word": "@"}),
    ("now <@U1", keys.BAD_MENTION, keys.EX_MENTION, {"word": "<@U1"}),
    ("tomorrow", keys.MISSING_TIME, keys.EX_ONCE, {"word": "tomorrow"}),
    ("завтра Обзор", keys.MISSING_TIME, keys.EX_ONCE, {"word": "завтра"}),
    ("once Retro", keys.MISSING_TIME, keys.EX_ONCE, {"word": "once"}),
    ("for 1h Sync", keys.LENGTH_BEFORE_TIME, keys.EX_ONCE, {"word": "for 1h"}),
    ("tomorrow <time> Sync", keys.SLOT_LEFT, keys.EX_ONCE, {"word": "<time>"}),
    ("move 1 <дата> <время>", keys.SLOT_LEFT, keys.EX_ONCE, {"word": "<дата>"}),
    ("tomorrow at lunch", keys.MISSING_TIME, keys.EX_ONCE, {"word": "tomorrow"}),
    (
        "tomorrow morning Sync",
        keys.MISSING_PERIOD_TIME,
        keys.EX_ONCE,
        {"word": "morning", "time": "09:00"},
    ),
    ("weekly mon Standup", keys.MISSING_WEEKLY_TIME, keys.EX_WEEKLY, {"word": "mon"}),
    (
        "next week Sync",
        keys.NEW_WEEK,
        keys.EX_ONCE,
        {"word": "next week", "first": "2026-11-30", "last": "2026-12-06"},
    ),
    ("weekly mon,wed", keys.MISSING_WEEKLY_TIME, keys.EX_WEEKLY, {"word": "mon,wed"}),
    ("tomorrow 25:00", keys.BAD_TIME, keys.EX_ONCE, {"word": "25:00"}),
    ("tomorrow 10:75", keys.BAD_TIME, keys.EX_ONCE, {"word": "10:75"}),
    ("tomorrow 13pm", keys.BAD_TIME, keys.EX_ONCE, {"word": "13pm"}),
    ("weekly mon 24:00", keys.BAD_TIME, keys.EX_WEEKLY, {"word": "24:00"}),
    ("schedule tomorrow 15:00", keys.STARTS_WITH_TIME, keys.EX_ONCE, {"word": "schedule"}),
    ("tomorrow morning 15:00", keys.PERIOD_CONFLICT, keys.EX_ONCE, {"word": "15:00"}),
    ("mon-fri 9:00 Daily", keys.DAYS_WITHOUT_WEEKLY, keys.EX_WEEKLY, {"word": "mon-fri"}),
    ("mon 9am weekly sync", keys.WEEKLY_AFTER_DAY, keys.EX_WEEKLY, {"word": "weekly"}),
    (
        "tomorrow 15:00 EST Call",
        keys.ZONE_IN_LINE,
        keys.EX_TZ_HELP,
        {"word": "EST", "zone": "Europe/Moscow"},
    ),
    (
        "weekly mon 15:00 London time Call",
        keys.ZONE_NAMED_IN_LINE,
        keys.EX_TZ_NAMED,
        {"word": "London time", "tz": "Europe/London", "zone": "Europe/Moscow"},
    ),
    ("weekly 10:00", keys.MISSING_DAYS, keys.EX_WEEKLY, {"word": "weekly"}),
    ("weekly", keys.MISSING_DAYS, keys.EX_WEEKLY, {"word": "weekly"}),
    ("weekly mon,wdd 10:00", keys.UNKNOWN_DAY, keys.EX_WEEKLY, {"word": "wdd"}),
    ("weekly funday 10:00", keys.UNKNOWN_DAY, keys.EX_WEEKLY, {"word": "funday"}),
    ("еженедельно пн,пк 10:00", keys.UNKNOWN_DAY, keys.EX_WEEKLY, {"word": "пк"}),
    ("weekly mon-xyz 10:00", keys.UNKNOWN_DAY, keys.EX_WEEKLY, {"word": "xyz"}),
    ("2026-02-30 10:00", keys.BAD_DATE, keys.EX_DATE, {"word": "2026-02-30"}),
    ("31.04.2027 10:00", keys.BAD_DATE, keys.EX_DATE, {"word": "31.04.2027"}),
    ("30 feb 10:00", keys.BAD_DATE, keys.EX_DATE, {"word": "30 feb"}),
    (
        "today 07:00",
        keys.TIME_IN_PAST,
        keys.EX_ONCE,
        {"word": "today 07:00", "when": "2026-11-23 07:00"},
    ),
    (
        "today 11:00",
        keys.TIME_IN_PAST,
        keys.EX_ONCE,
        {"word": "today 11:00", "when": "2026-11-23 11:00"},
    ),
    (
        "2026-11-01 10:00",
        keys.TIME_PASSED,
        keys.EX_ONCE,
        {"when": "2026-11-01 10:00"},
    ),
    (
        "01.01.2020 10:00",
        keys.TIME_IN_PAST,
        keys.EX_ONCE,
        {"word": "01.01.2020 10:00", "when": "2020-01-01 10:00"},
    ),
    ("tz Mars/Olympus", keys.UNKNOWN_TZ, keys.EX_TZ_NAMED, {"name": "Mars/Olympus", **_TZ}),
    ("tz ../../etc/passwd", keys.UNKNOWN_TZ, keys.EX_TZ_NAMED, {"name": "../../etc/passwd", **_TZ}),
    ("standup tomorrow at 3pm", keys.TOPIC_FIRST, keys.EX_ONCE, {"word": "standup"}),
    ("tz", keys.MISSING_ZONE, keys.EX_TZ_NAMED, {"word": "tz", "tz": "Europe/Moscow"}),
    (
        "tomorrow 15:00 UTC Review",
        keys.ZONE_CONVERTED,
        keys.EX_TZ_HELP,
        {"word": "UTC", "time": "15:00", "local": "18:00", "zone": "Europe/Moscow"},
    ),
    (
        "tz HST",
        keys.OLD_ZONE,
        keys.EX_TZ_NAMED,
        {"name": "HST", "cities": "Pacific/Honolulu", "tz": "Pacific/Honolulu"},
    ),
    ("tz Etc/GMT+12", keys.OLD_OFFSET, keys.EX_TZ_HELP, {"name": "Etc/GMT+12"}),
    ("now for 25h", keys.DURATION_OUT_OF_RANGE, keys.EX_DURATION, {"word": "25h"}),
    ("now for 0m", keys.DURATION_OUT_OF_RANGE, keys.EX_DURATION, {"word": "0m"}),
    ("now на 2 дня", keys.DURATION_OUT_OF_RANGE, keys.EX_DURATION, {"word": "2 дня"}),
    ("now for 0.5m", keys.DURATION_OUT_OF_RANGE, keys.EX_DURATION, {"word": "0.5m"}),
    ("now for 3x", keys.BAD_DURATION, keys.EX_DURATION, {"word": "3x"}),
    ("now for 30m1h", keys.BAD_DURATION, keys.EX_DURATION, {"word": "30m1h"}),
    ("now на 5 попугаев", keys.BAD_DURATION, keys.EX_DURATION, {"word": "5"}),
    ("now Retro for", keys.MISSING_DURATION, keys.EX_DURATION, {"word": "for"}),
    ("now for 1h for 2h", keys.TWO_DURATIONS, keys.EX_DURATION, {"word": "2h"}),
    ("in soon", keys.BAD_DURATION, keys.EX_RELATIVE, {"word": "soon"}),
    ("in", keys.MISSING_DURATION, keys.EX_RELATIVE, {"word": "in"}),
    ("in 400 days", keys.RELATIVE_OUT_OF_RANGE, keys.EX_RELATIVE, {"word": "400 days"}),
    ("через 0 минут", keys.RELATIVE_OUT_OF_RANGE, keys.EX_RELATIVE, {"word": "0 минут"}),
    ("info", keys.MISSING_MEETING_ID, keys.EX_INFO, {"word": "info"}),
    ("cancel", keys.MISSING_MEETING_ID, keys.EX_CANCEL, {"word": "cancel"}),
    ("start", keys.MISSING_MEETING_ID, keys.EX_START, {"word": "start"}),
    ("stop", keys.MISSING_MEETING_ID, keys.EX_STOP, {"word": "stop"}),
    ("guest", keys.MISSING_MEETING_ID, keys.EX_GUEST, {"word": "guest"}),
    ("invite", keys.MISSING_MEETING_ID, keys.EX_INVITE, {"word": "invite"}),
    ("отменить", keys.MISSING_MEETING_ID, keys.EX_CANCEL, {"word": "отменить"}),
    ("info @bob", keys.BAD_MEETING_ID, keys.EX_INFO, {"word": "@bob"}),
    ("cancel 12-b", keys.BAD_MEETING_ID, keys.EX_CANCEL, {"word": "12-b"}),
    (
        "cancel 12 13",
        keys.ONE_MEETING,
        keys.EX_CANCEL,
        {"verb": "cancel", "id": "12", "word": "13"},
    ),
    ("cancel 12 soon", keys.TRAILING_TEXT, keys.EX_CANCEL, {"text": "soon"}),
    ("list all of them", keys.TRAILING_TEXT, keys.EX_LIST, {"text": "of them"}),
    ("list soon", keys.TRAILING_TEXT, keys.EX_LIST, {"text": "soon"}),
    ("lang ru please", keys.TRAILING_TEXT, keys.EX_LANG, {"text": "please"}),
    (
        "tz Europe/Moscow please",
        keys.TRAILING_TEXT,
        keys.EX_TZ_NAMED,
        {"text": "please", "tz": "Europe/Moscow"},
    ),
    (
        "now " + "x" * 241,
        keys.TOPIC_TOO_LONG,
        keys.EX_NOW,
        {"word": "x" * 24, "length": "241", "limit": "240"},
    ),
    (
        "tomorrow 15:00 " + "слово " * 50,
        keys.TOPIC_TOO_LONG,
        keys.EX_ONCE,
        {"word": "слово слово слово слово", "length": "299", "limit": "240"},
    ),
    (
        "guest 12 " + "n" * 65,
        keys.NAME_TOO_LONG,
        keys.EX_GUEST,
        {"word": "n" * 24, "length": "65", "limit": "64"},
    ),
    ("link", keys.MISSING_LOGIN, keys.EX_LINK, {"word": "link"}),
    ("связать", keys.MISSING_LOGIN, keys.EX_LINK, {"word": "связать"}),
    ("link al!ce", keys.BAD_LOGIN, keys.EX_LINK, {"login": "al!ce"}),
    ("link " + "a" * 65, keys.BAD_LOGIN, keys.EX_LINK, {"login": "a" * 65}),
    ('link "alice smith"', keys.BAD_LOGIN, keys.EX_LINK, {"login": "alice smith"}),
    ("invite 12", keys.NOTHING_TO_INVITE, keys.EX_INVITE, {"word": "invite"}),
    ("uninvite 12", keys.NOTHING_TO_INVITE, keys.EX_UNINVITE, {"word": "uninvite"}),
    ("invite 12 dave", keys.BAD_MENTION, keys.EX_INVITE, {"word": "dave"}),
    ("unlink bob", keys.BAD_MENTION, keys.EX_UNLINK, {"word": "bob"}),
    ("lang", keys.MISSING_LANG, keys.EX_LANG, {"word": "lang"}),
    ("lang de", keys.BAD_LANG, keys.EX_LANG, {"word": "de"}),
    ("backend 42", keys.BAD_BACKEND, keys.EX_BACKEND, {"word": "42"}),
    ("сервер @callaba", keys.BAD_BACKEND, keys.EX_BACKEND, {"word": "@callaba"}),
    ("backend callaba now", keys.TRAILING_TEXT, keys.EX_BACKEND, {"text": "now"}),
    ("help snooze", keys.UNKNOWN_HELP_TOPIC, keys.EX_HELP, {"word": "snooze"}),
    ("tomorrow 15:00 16:00 talk", keys.TIME_IN_TOPIC, keys.EX_ONCE, {"word": "16:00"}),
    ("now Sync 3pm", keys.TIME_IN_TOPIC, keys.EX_NOW, {"word": "3pm"}),
    ("now Sync 30m", keys.TIME_IN_TOPIC, keys.EX_NOW, {"word": "30m"}),
    (
        "tomorow 3pm Sync",
        keys.DID_YOU_MEAN,
        keys.EX_HELP,
        {"word": "tomorow", "keyword": "tomorrow"},
    ),
]


@pytest.mark.parametrize(("text", "problem", "example", "params"), CASES)
def test_problem(text: str, problem: str, example: str, params: dict[str, str]) -> None:
    result = p(text)
    assert isinstance(result, Usage), result
    # The person's own line put right, when given, is tested in test_grammar_said.
    assert replace(result, suggestion="") == Usage(problem=problem, example=example, params=params)


def test_every_problem_key_is_exercised() -> None:
    # These need another clock or zone than CASES use: tested on their own.
    own = {keys.NONEXISTENT_TIME, keys.TIMES_IN_PAST, keys.UNKNOWN_ZONE}
    covered = {problem for _, problem, _, _ in CASES} | own
    assert covered == set(keys.PROBLEMS)


def test_unknown_person_zone_is_reported() -> None:
    assert p("tomorrow 15:00", zone="Nowhere/City") == Usage(
        keys.UNKNOWN_ZONE, keys.EX_ONCE, {"name": "Nowhere/City"}
    )
    assert p("weekly mon 10:00", zone="") == Usage(keys.UNKNOWN_ZONE, keys.EX_WEEKLY, {"name": ""})


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("_text", "problem", "example", "params"), CASES)
def test_problem_renders(
    lang: Lang, _text: str, problem: str, example: str, params: dict[str, str]
) -> None:
    translate = Translator(lang)
    sentence = translate(problem, **params)
    assert sentence != problem
    assert "{" not in sentence
    # The meeting's id and a zone go into the example, not necessarily the sentence.
    assert all(value in sentence for key, value in params.items() if key not in ("id", "tz"))
    assert translate(example, **params).startswith("/meet ")
    assert "{" not in translate(example, **params)


@pytest.mark.parametrize(
    ("line", "lang", "example"),
    [
        ("remind 1 10x", "en", "/meet remind 1 10m,1h"),
        ("напомнить 1 10х", "ru", "/meet напомнить 1 10м,1ч"),
        ("remind 7 45d", "ru", "/meet напомнить 7 10м,1ч"),
        ("remind 7", "en", "/meet remind 7 10m,1h"),
        ("remind default 10x", "en", "/meet remind default 10m,1h"),
        ("напомнить по умолчанию 10х", "ru", "/meet напомнить по умолчанию 10м,1ч"),
    ],
)
def test_a_wrong_reminder_is_shown_the_example_of_its_own_meeting(
    line: str, lang: Lang, example: str
) -> None:
    # From a new user's trial: a bad offset for meeting 1 was shown
    # "/meet напомнить 12 10м,1ч", the stock example's meeting.
    answer = p(line)
    assert isinstance(answer, Usage), answer
    assert usage_reply(answer, Translator(lang)).plain_text().splitlines()[-1] == example


@pytest.mark.parametrize(
    ("line", "lang", "offered"),
    [
        ("cancel 1 please", "en", "/meet cancel 1"),
        ("info #3 now", "en", "/meet info #3"),
        ("start 2 pls", "en", "/meet start 2"),
        ("отменить 4 пожалуйста", "ru", "/meet отменить 4"),
    ],
)
def test_words_after_the_meeting_are_answered_with_the_line_for_that_meeting(
    line: str, lang: Lang, offered: str
) -> None:
    # From a new user's trial: "cancel 1 please" was told "I don't know what
    # to do with “please”" above "/meet cancel 12", another meeting.
    answer = p(line)
    assert isinstance(answer, Usage), answer
    assert answer.problem == keys.TRAILING_TEXT
    assert usage_reply(answer, Translator(lang)).plain_text().splitlines()[-1] == offered


@pytest.mark.parametrize(
    ("line", "lang", "said"),
    [
        ("remind 1 15", "en", "“15” is not a reminder offset"),
        ("remind 2 3", "en", "“3” is not a reminder offset"),
        ("напомнить 1 15", "ru", "«15» — не срок напоминания"),
    ],
)
def test_a_bare_number_after_the_meeting_of_remind_is_an_offset_without_its_unit(
    line: str, lang: Lang, said: str
) -> None:
    # From a new user's trial: "remind 1 15" was told "“remind” takes one
    # meeting at a time: here is the line for #1" above "/meet remind 12
    # 10m,1h", the stock example's meeting: "15" was read as a second meeting.
    answer = p(line)
    assert isinstance(answer, Usage), answer
    text = usage_reply(answer, Translator(lang)).plain_text()
    assert said in text
    verb, meeting, _ = line.split(maxsplit=2)
    assert text.splitlines()[-1].startswith(f"/meet {verb} {meeting} ")


@pytest.mark.parametrize("lang", LANGS)
def test_a_past_time_typed_as_it_reads_back_is_said_once(lang: Lang) -> None:
    result = p("once 2020-01-01 10:00")
    assert isinstance(result, Usage), result
    assert Translator(lang)(result.problem, **result.params).count("2020-01-01 10:00") == 1
