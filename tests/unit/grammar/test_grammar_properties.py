"""Properties: any text gives a command, a Question or a Usage; day sets and
durations round-trip."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.chat import Mention
from bot.commands import Command, NewMeeting, Question, Usage
from bot.grammar import keys
from bot.schedule import Weekday, Weekly
from tests.unit.grammar.support import NOW, ZONE, p

COMMAND_TYPES = Command.__args__

# Words and pieces the grammar reacts to, to reach deep paths more often than
# random text would.
_KEYWORD_LINES = (
    "now once weekly daily weekdays every day week in at on for tomorrow today next",
    "list info cancel start stop invite uninvite guest link unlink tz lang help",
    "сейчас разово еженедельно ежедневно будни каждый каждую день неделю через в во на",
    "завтра сегодня послезавтра список инфо отмена пригласить убрать гость связать",
    "отвязать пояс язык помощь по будням и and",
    "mon tue wed thu fri sat sun пн вт ср чт пт сб вс понедельник среду пятницам",
    "dec december декабря янв 1st г. 2026 2027 1 12 23 29 31 99 0 00",
    "15:00 9:30 15.00 25:00 3pm 3:30 pm am 01.12 01.12.2026 2026-12-01 12/01 2026-02-30",
    "30m 1h 1h30m 1.5h 90 min hours часа ч м мин полчаса 0m 25h 1,5",
    "Europe/Moscow europe/berlin Mars/x ru en @alice @ @. <@U1> <@U1|bob> <@ # #12 0012",
)
KEYWORDS = [word for line in _KEYWORD_LINES for word in line.split()] + [
    *['"', "'", "«", "»", "“", "”", "„", "<", ">", ",", "-", "–", "—", "@@", "\n", "\t"],
]

# Whitespace sometimes omitted, so that pieces glue into odd words too.
keyword_text = st.lists(
    st.tuples(st.sampled_from(KEYWORDS), st.sampled_from([" ", " ", "", ","])), max_size=12
).map(lambda parts: "".join(word + sep for word, sep in parts))

resolved = st.lists(
    st.builds(
        Mention,
        handle=st.text(max_size=8),
        user_id=st.one_of(st.none(), st.sampled_from(["U1", "U2", "T9"])),
    ),
    max_size=3,
).map(tuple)


def assert_answer(result: object) -> None:
    assert isinstance(result, (Usage, Question, *COMMAND_TYPES)), result
    if isinstance(result, Question):
        assert result.problem in keys.QUESTIONS
        assert len(result.choices) >= 2 or result.problem in keys.CONFIRMATIONS
        assert all(isinstance(choice.command, NewMeeting) for choice in result.choices)
    if isinstance(result, Usage):
        assert result.problem.startswith("grammar.")
        assert result.example.startswith("grammar.example.")
        assert all(isinstance(v, str) for v in result.params.values())


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=80), mentions=resolved)
def test_any_text_gets_an_answer(text: str, mentions: tuple[Mention, ...]) -> None:
    assert_answer(p(text, mentions=mentions))


@settings(max_examples=600, deadline=None)
@given(text=keyword_text, mentions=resolved, zone=st.sampled_from([ZONE, "Europe/Berlin", "x"]))
def test_keyword_soup_gets_an_answer(text: str, mentions: tuple[Mention, ...], zone: str) -> None:
    assert_answer(p(text, mentions=mentions, zone=zone))


@settings(max_examples=200, deadline=None)
@given(text=keyword_text, minutes=st.integers(min_value=-(10**6), max_value=10**6))
def test_any_moment_gets_an_answer(text: str, minutes: int) -> None:
    assert_answer(p(text, now=NOW + timedelta(minutes=minutes)))


# Each day under every name the grammar documents, to render day lists from.
DAY_SPELLINGS: dict[Weekday, list[str]] = {
    Weekday.MONDAY: ["mon", "Monday", "пн", "понедельник"],
    Weekday.TUESDAY: ["tue", "tuesday", "вт", "вторник"],
    Weekday.WEDNESDAY: ["wed", "WEDNESDAY", "ср", "среда"],
    Weekday.THURSDAY: ["thu", "thursday", "чт", "четверг"],
    Weekday.FRIDAY: ["fri", "friday", "пт", "пятница"],
    Weekday.SATURDAY: ["sat", "saturday", "сб", "суббота"],
    Weekday.SUNDAY: ["sun", "sunday", "вс", "воскресенье"],
}


@settings(max_examples=300, deadline=None)
@given(
    days=st.lists(st.sampled_from(list(Weekday)), min_size=1, unique=True),
    data=st.data(),
    keyword=st.sampled_from(["weekly", "еженедельно", "каждую неделю"]),
    hour=st.integers(0, 23),
    minute=st.integers(0, 59),
)
def test_weekly_day_sets_round_trip(
    days: list[Weekday], data: st.DataObject, keyword: str, hour: int, minute: int
) -> None:
    names = [data.draw(st.sampled_from(DAY_SPELLINGS[day])) for day in days]
    line = f"{keyword} {','.join(names)} {hour}:{minute:02d} Topic"
    result = p(line)
    assert isinstance(result, NewMeeting), (line, result)
    assert result.schedule == Weekly(frozenset(days), time(hour, minute), ZONE)
    assert result.topic == "Topic"


@settings(max_examples=300, deadline=None)
@given(minutes=st.integers(1, 24 * 60), style=st.sampled_from(["compact", "spaced", "ru"]))
def test_durations_round_trip(minutes: int, style: str) -> None:
    hours, rest = divmod(minutes, 60)
    if style == "compact":
        tail = "for " + (f"{hours}h" if hours else "") + (f"{rest}m" if rest else "")
    elif style == "spaced":
        tail = "for " + " ".join(
            part
            for part in (f"{hours} hours" if hours else "", f"{rest} min" if rest else "")
            if part
        )
    else:
        tail = "на " + (f"{hours}ч" if hours else "") + (f"{rest}м" if rest else "")
    result = p(f"now {tail}")
    assert isinstance(result, NewMeeting), (tail, result)
    assert result.duration == timedelta(minutes=minutes)


@settings(max_examples=200, deadline=None)
@given(
    text=keyword_text,
    now=st.sampled_from([datetime(1, 1, 1, 3, tzinfo=UTC), datetime(9999, 12, 31, 22, tzinfo=UTC)]),
)
def test_calendar_ends_get_an_answer(text: str, now: datetime) -> None:
    assert_answer(p(text, now=now))
