"""The words after ``edit <id>``: any of a new time or schedule, ``for <duration>``
and a new topic, read with the same pieces as a new meeting's line.

``edit 12 16:00`` (``at 4pm``, ``в 16:00``) is a new time of day alone: the
meeting keeps its date, or its weekly days. ``edit 12 tomorrow 15:00``,
``edit 12 in 2h``, ``edit 12 weekly mon,wed 10:00``: a whole new schedule, in
every form a new meeting takes but ``now`` (``start`` runs a meeting now).
``edit 12 weekly mon,thu``: new weekly days, the time kept. ``move 12 friday``
(``на пятницу``, ``25.12``): a new date alone, the time of day kept; the
parser cannot see the meeting, so the command carries the day and the
handler puts the meeting's time on it. A bare hour is asked about, as
everywhere.
"""

from __future__ import annotations

from datetime import date, time, timedelta

from bot.commands import EditMeeting
from bot.grammar import keys
from bot.grammar.context import Context
from bot.grammar.converted import OnceRead
from bot.grammar.dates import WEEKS, read_date
from bot.grammar.errors import Ambiguous, GrammarError
from bot.grammar.examples import unread_time
from bot.grammar.manage import RENAME_TO_WORDS, after_to, meeting_ref
from bot.grammar.parser import Args
from bot.grammar.spans import is_lone_word, read_span
from bot.grammar.tail import FOR_WORDS, read_tail
from bot.grammar.times import TIME_CONNECTORS, read_time
from bot.grammar.tokens import Kind
from bot.grammar.when import (
    CONNECTORS,
    PERIODS,
    ask_if_a_date,
    meant_as_time,
    once_read,
    read_schedule,
    weekly_days,
)
from bot.schedule import Instant, Schedule, Weekday

EX_EDIT = "grammar.example.edit"
EX_EDIT_ID = "grammar.example.edit_id"  # {id}: once the id is read, the example uses it
EDIT_NOW = "grammar.edit_now"  # {word} {id}
EDIT_PEOPLE = "grammar.edit_people"  # {word} {id}
MOVE_NO_TIME = "grammar.move_no_time"  # {word} {topic} {id}: "move 12 to next week"
EX_MOVE_ID = "grammar.example.move_id"  # {verb} {id}: the verb the person typed
EDIT_WEEK = "grammar.edit_week"  # {word} {first} {last} {id} {topic}: "edit 12 next week"
EX_EDIT_WEEK = "grammar.example.edit_week"  # {verb} {id}, a day and a time to give
# Verbs that say the time changes: words after them that are no time are not a
# new topic ("move 12 to next week" renamed the meeting).
_MOVE_VERBS = frozenset({"move", "reschedule", "перенести"})


def parse_edit(args: Args, ctx: Context) -> EditMeeting:
    ref = meeting_ref(args, EX_EDIT, ctx, hours_follow=True)
    rest = _na_before_a_time(after_to(args[1:]))  # "move 12 to friday 11am"
    if not rest:
        return EditMeeting(ref)
    _not_a_week_alone(ref, rest, args, ctx)
    try:
        edit = _changes(ref, rest, ctx)
    except Ambiguous as ambiguous:
        raise ambiguous.shifted(len(args) - len(rest)) from None  # counted from the id
    except GrammarError as error:
        # Whatever was wrong after the id, the example is an edit of this meeting.
        params = {**error.params, "id": ref}
        raise GrammarError(
            error.problem, EX_EDIT_ID, suggestion=error.suggestion, **params
        ) from None
    verb = ctx.line[: args[0].start].split()[-1:]
    moved = edit.schedule or edit.at or edit.day or edit.days or edit.duration
    if edit.topic is not None and not moved and verb and verb[0].casefold() in _MOVE_VERBS:
        word = ctx.line[rest[0].start : rest[-1].end]
        # The rename offered without the "на"/"to" that read as a connector.
        topic = after_to(rest, RENAME_TO_WORDS) or rest
        raise GrammarError(
            MOVE_NO_TIME,
            EX_MOVE_ID,
            word=word,
            topic=ctx.line[topic[0].start : rest[-1].end],
            id=ref,
            verb=verb[0].casefold(),
        )
    return edit


def _not_a_week_alone(ref: str, rest: Args, args: Args, ctx: Context) -> None:
    """ "edit 12 next week": a week and no day in it, asked which day and time
    (the week named by its dates), never made the topic nor a guessed day."""
    words = after_to(rest, RENAME_TO_WORDS)
    weeks = WEEKS.get((words[0].low, words[1].low)) if len(words) > 1 else None
    if weeks is None or any(token.kind is not Kind.WORD for token in words[:2]):
        return
    today = ctx.today(EX_EDIT)
    monday = today - timedelta(days=today.weekday()) + timedelta(weeks=weeks)
    last = words[1]
    raise GrammarError(
        EDIT_WEEK,
        EX_EDIT_WEEK,
        word=ctx.line[rest[0].start : last.end],
        first=monday.isoformat(),
        last=(monday + timedelta(days=6)).isoformat(),
        id=ref,
        topic=ctx.line[words[0].start : last.end],
        verb=ctx.line[: args[0].start].split()[-1].casefold(),
    )


def _changes(ref: str, rest: Args, ctx: Context) -> EditMeeting:
    schedule: Schedule | None = None
    at: time | None = None
    length: timedelta | None = None
    days: frozenset[Weekday] | None = None
    day: date | None = None
    once: OnceRead | None = None  # a date and time: one written at an offset is converted
    alone = _time_alone(rest, ctx)
    if alone is not None:
        at, length, end = alone
    else:
        try:
            found = read_schedule(rest, ctx)
        except GrammarError as error:
            found = None
            if error.problem == keys.MISSING_WEEKLY_TIME:
                days, end = _days_alone(rest, error)
            elif error.problem == keys.MISSING_TIME:
                day, end = _date_alone(rest, ctx, error)
            else:
                raise
        else:
            end = 0
        if found is not None:
            if isinstance(found.schedule, Instant):
                raise GrammarError(EDIT_NOW, EX_EDIT, word=rest[0].text, id=ref)
            schedule, length, end = found.schedule, found.duration, found.end
            once = once_read(found, ctx)
    # A time was written: a zone beside it is asked about.
    zone = ctx.zone if at is not None or schedule is not None else None
    tail = read_tail(rest, end, (), EX_EDIT, length, zone=zone, line=ctx.line, once=once)
    mention = next((token for token in rest if token.kind is Kind.MENTION), None)
    if mention is not None:
        raise GrammarError(EDIT_PEOPLE, EX_EDIT, word=mention.text, id=ref)
    return EditMeeting(
        ref,
        schedule=schedule,
        at=at,
        duration=tail.duration,
        topic=tail.topic or None,
        days=days,
        day=day,
    )


def _days_alone(rest: Args, error: GrammarError) -> tuple[frozenset[Weekday], int]:
    """``weekly mon,thu`` with no time: new days, the time stays. Else ``error``."""
    read = weekly_days(rest)
    if read is None or read.bad is not None or not read.days:
        raise error
    if not _days_end(rest, read.end):
        raise error  # "Daily sync": a topic, maybe; the time is asked for
    return read.days, read.end


def _date_alone(rest: Args, ctx: Context, error: GrammarError) -> tuple[date, int]:
    """A date with no time (``friday``, ``на пятницу``, ``25.12``): a new day,
    the time of day stays. Else ``error``, the time asked for as before."""
    skip = 1 if len(rest) > 1 and rest[0].kind is Kind.WORD and rest[0].low in CONNECTORS else 0
    read = read_date(rest, skip, ctx.today(EX_EDIT))
    if read is None or not _days_end(rest, read.end):
        raise error  # "Friday review": a topic, maybe; the time is asked for
    return read.day, read.end


def _not_a_time_after(tokens: Args, ctx: Context) -> None:
    """ "edit 12 at 9zz": a number where "at" put the time is a time that
    could not be read, left for the person to give (as "tomorrow at 9zz" is),
    not a new topic "at 9zz" with the time kept."""
    token = tokens[0] if tokens else None
    if token is None or not meant_as_time(token):
        return
    raise unread_time(ctx.line, token, EX_EDIT)


def _na_before_a_time(rest: Args) -> Args:
    """Without an ``на`` that is "to" rather than "for": ``перенести 12 на 16:00``.
    Before a written time of day (not a bare number, not a duration) it is
    read as a connector; ``на 1ч`` stays a duration."""
    if len(rest) < 2 or rest[0].kind is not Kind.WORD or rest[0].low != "на":
        return rest
    try:
        read = read_time(rest, 1, example=EX_EDIT)
    except (GrammarError, Ambiguous):
        return rest  # whatever is wrong there is said as before
    return rest[1:] if read is not None else rest


def _days_end(tokens: Args, end: int) -> bool:
    """Days alone end the schedule only where nothing but a duration or a
    quoted topic follows: bare words after them may be a topic that starts
    with a day word ("Daily sync"), which is not guessed."""
    if end >= len(tokens):
        return True
    following = tokens[end]
    return following.kind is Kind.QUOTED or following.low in FOR_WORDS


def _time_alone(tokens: Args, ctx: Context) -> tuple[time, timedelta | None, int] | None:
    """A time of day (or a range) at the start with no date around it:
    ``16:00``, ``at 4pm``, ``вечером в 8``, ``10:00-11:30``. A bare hour counts
    after a word that announces a time (``at 3``), and is then asked about."""
    i = 0
    period = PERIODS.get(tokens[0].low) if tokens[0].kind is Kind.WORD else None
    i += period is not None
    connector = i < len(tokens) and tokens[i].low in TIME_CONNECTORS
    today = ctx.now.date()
    if read_date(tokens, i + connector, today) is not None:
        return None  # "23.11 10:00": a date first, as a new meeting reads it
    span = read_span(tokens, i + connector, example=EX_EDIT, bare_hour=connector, period=period)
    if span is None:
        if connector:
            _not_a_time_after(tokens[i + 1 :], ctx)
        return None
    after = span.end
    skip = 1 if after < len(tokens) and tokens[after].low in CONNECTORS else 0
    if read_date(tokens, after + skip, today) is not None:
        return None  # "16:00 tomorrow": a date and a time, a whole new start
    if not connector and period is None and is_lone_word(tokens, i, span):
        ask_if_a_date(tokens, i, span.at, today)  # "move 3 01.12": 01:12, or 1 December?
    return span.at, span.duration, span.end
