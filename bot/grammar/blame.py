"""A line that starts with no command and no schedule: say which word failed.

``at 1500x``, ``every funday``, ``next xyz``, ``dec 45``: the first word is fine
and the one after it is not, so that one is named. A first word that is a slip
of a keyword gets "did you mean …?" with the line put right.
"""

from __future__ import annotations

from bot.grammar import keys
from bot.grammar.context import Context
from bot.grammar.dates import MONTHS, NEXT_WORDS
from bot.grammar.durations import read_duration
from bot.grammar.errors import Ambiguous, GrammarError
from bot.grammar.examples import DATE_SLOT, TIME_SLOT, phrase, replace
from bot.grammar.tail import FOR_WORDS, read_tail
from bot.grammar.times import TIME_CONNECTORS
from bot.grammar.tokens import Kind, Token
from bot.grammar.typos import Typos
from bot.grammar.when import EVERY_WORDS, ScheduleRead, once_read, read_schedule

DATE_CONNECTORS = frozenset({"on", "на"})
# "schedule a meeting tomorrow at 15:00": words of asking for a meeting before
# its time, where a line for a new meeting starts with the time itself.
CREATE_WORDS = frozenset(
    {"schedule", "create", "new", "book", "plan", "запланировать", "создать", "назначить"}
)
FILLER_WORDS = frozenset(
    {"a", "an", "the", "meeting", "call", "новую", "новая", "встречу", "встреча", "созвон"}
)


def unknown_start(tokens: tuple[Token, ...], ctx: Context, typos: Typos) -> GrammarError:
    first = tokens[0]
    word = first.low if first.kind is Kind.WORD else ""
    following = tokens[1] if len(tokens) > 1 else None
    length = read_duration(tokens, 1) if word in FOR_WORDS else None
    if length is not None:
        # "for 1h Sync": how long is there, when is not (it goes before).
        return GrammarError(
            keys.LENGTH_BEFORE_TIME,
            keys.EX_ONCE,
            word=phrase(ctx.line, tokens, 0, length.end),
            suggestion=f"{DATE_SLOT} {TIME_SLOT} {ctx.line}",
        )
    if word in TIME_CONNECTORS | DATE_CONNECTORS | EVERY_WORDS | NEXT_WORDS | MONTHS:
        if following is None:
            return GrammarError(keys.MISSING_TIME, keys.EX_ONCE, word=first.text)
        if word in TIME_CONNECTORS:
            return GrammarError(keys.BAD_TIME, keys.EX_AT, word=following.text)
        if word in DATE_CONNECTORS:
            return GrammarError(keys.BAD_DATE, keys.EX_DATE, word=following.text)
        if word in MONTHS:
            return GrammarError(
                keys.BAD_DATE, keys.EX_DATE, word=ctx.line[first.start : following.end]
            )
        return GrammarError(keys.UNKNOWN_DAY, keys.EX_WEEKLY, word=following.text)
    if word in CREATE_WORDS and (start := _schedule_after(tokens, ctx)) is not None:
        return GrammarError(
            keys.STARTS_WITH_TIME, keys.EX_ONCE, word=first.text, suggestion=ctx.line[start:]
        )
    keyword = typos.closest(word) if word else None
    if keyword is not None:
        return GrammarError(
            keys.DID_YOU_MEAN,
            keys.EX_HELP,
            word=first.text,
            keyword=keyword,
            suggestion=replace(ctx.line, first, first, keyword),
        )
    if (found := _schedule_after_topic(tokens, ctx)) is not None:
        start, refused = found
        topic = ctx.line[: tokens[start - 1].end]
        if refused is not None:  # its line put right (the whole line), turned round
            before = ctx.line[: tokens[start].start]
            fixed = refused.suggestion
            line = f"{fixed[len(before) :]} {topic}" if fixed.startswith(before) else ""
            return GrammarError(refused.problem, refused.example, suggestion=line, **refused.params)
        return GrammarError(
            keys.TOPIC_FIRST,
            keys.EX_ONCE,
            word=topic,
            suggestion=f"{ctx.line[tokens[start].start :]} {topic}",
        )
    return GrammarError(keys.UNKNOWN_COMMAND, keys.EX_HELP, word=first.text)


# A schedule read whole and refused, with the line put right: a time passed,
# a part of the day against the hour, a zone (its day is not the topic's).
_READ_REFUSED = frozenset(
    {
        keys.TIME_IN_PAST,
        keys.TIMES_IN_PAST,
        keys.TIME_PASSED,
        keys.PERIOD_CONFLICT,
        keys.ZONE_CONVERTED,
        keys.ZONE_IN_LINE,
        keys.ZONE_NAMED_IN_LINE,
    }
)
_TOPIC_WORDS = 4  # "Design review with Bob tomorrow 15:00": at most so many before


def _schedule_after_topic(
    tokens: tuple[Token, ...], ctx: Context
) -> tuple[int, GrammarError | None] | None:
    """Where a schedule that reads starts after a few words of topic
    ("standup tomorrow at 3pm"), with the refusal of one read whole there
    (``_READ_REFUSED``); ``None``: none does. Only a schedule
    read whole, or asked about, counts: "Planning at the office" is no time."""
    for i in range(1, min(len(tokens), _TOPIC_WORDS + 1)):
        if tokens[i - 1].kind is not Kind.WORD:
            return None
        try:
            found = read_schedule(tokens[i:], ctx)
        except Ambiguous:
            return i, None
        except GrammarError as error:
            if error.problem in _READ_REFUSED:
                return i, error
            continue
        if found is not None:
            return i, _zone_refused(tokens[i:], found, ctx)
    return None


def _zone_refused(
    tokens: tuple[Token, ...], found: ScheduleRead, ctx: Context
) -> GrammarError | None:
    """The refusal of a zone written after a schedule ("Review tomorrow 15:00
    UTC"), its line put right as the tail would; ``None``: no zone there."""
    try:
        once = once_read(found, ctx)
        example = found.example
        read_tail(tokens, found.end, (), example, zone=ctx.zone, line=ctx.line, once=once)
    except GrammarError as error:  # only a zone's: the topic's own words are said later
        return error if error.problem in _READ_REFUSED else None
    return None


def _schedule_after(tokens: tuple[Token, ...], ctx: Context) -> int | None:
    """Where a schedule starts after a word of asking and its fillers ("a
    meeting"), as an offset into the line; ``None`` when none reads there."""
    i = 1
    while i < len(tokens) and tokens[i].low in FILLER_WORDS:
        i += 1
    if i == len(tokens):
        return None
    try:
        found = read_schedule(tokens[i:], ctx)
    except (GrammarError, Ambiguous):  # a time written wrong is said once it leads
        return tokens[i].start
    return tokens[i].start if found is not None else None
