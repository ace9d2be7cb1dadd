"""The entry point: the text after ``/meet`` in; a command, a ``Question`` or a
``Usage`` out.

Which words start which command is not known here: the command catalogue
(``bot/catalogue.py``) builds a ``Grammar`` from what each command declares.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from dataclasses import replace as with_line
from datetime import datetime

from bot.chat import Mention
from bot.commands import (
    Choice,
    Command,
    Help,
    MeetingForm,
    NewMeeting,
    ParseResult,
    Question,
    Usage,
)
from bot.grammar import keys
from bot.grammar.blame import unknown_start
from bot.grammar.context import Context
from bot.grammar.errors import Ambiguous, GrammarError
from bot.grammar.examples import TIME_SLOT, checked_line, no_slot_left, replace
from bot.grammar.form import read_form
from bot.grammar.tail import read_tail
from bot.grammar.tokens import Kind, Token, clean_line, tokenize
from bot.grammar.typos import Typos
from bot.grammar.when import EXAMPLE_TIME, once_read, read_schedule

Args = tuple[Token, ...]
# Reads the words after a command word; raises ``GrammarError`` on bad input.
ArgsParser = Callable[[Args, Context], Command]

# Parameters that name what the person typed, as opposed to the bridge's own
# figures ({limit}, {when}): every Usage carries at least one.
TOKEN_PARAMS = frozenset({"word", "text", "name", "login", "quote"})


@dataclass(frozen=True, slots=True)
class Grammar:
    """The command words with their parsers, and the words ``help`` knows."""

    commands: Mapping[str, ArgsParser]
    help_topics: Mapping[str, str]
    typos: Typos = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "typos", Typos(self.commands))

    def parse(
        self, text: str, *, now: datetime, zone: str, mentions: tuple[Mention, ...] = ()
    ) -> ParseResult:
        """Parse a ``/meet`` command line.

        ``now`` is the current moment (aware, UTC); ``zone`` the person's IANA zone,
        in which one-time wall-clock times are meant; ``mentions`` the mentions the
        messenger already resolved. Never raises for any ``text``: what cannot be
        understood comes back as a ``Usage`` naming the problem and an example, and
        what can be read two ways as a ``Question`` with both readings.
        """
        ctx = Context(
            now=now,
            zone=zone,
            mentions=mentions,
            help_topics=self.help_topics,
            line=clean_line(text),
        )
        return self._answer(ctx)

    def read_form(self, form: MeetingForm, *, now: datetime, zone: str) -> ParseResult:
        """A form's new meeting in the person's ``zone``, or what is wrong with it."""
        ctx = Context(now=now, zone=zone, help_topics=self.help_topics)
        try:
            return read_form(form, ctx)
        except GrammarError as error:
            return Usage(error.problem, error.example, error.params)

    def _answer(self, ctx: Context, *, suggest: bool = True) -> ParseResult:
        try:
            return self._parse(no_slot_left(tokenize(ctx.line), ctx.line), ctx)
        except GrammarError as error:
            suggestion = (error.suggestion or self._typo_fixed(error, ctx)) if suggest else ""
            # Only a line that parses is offered: a suggestion must not fail in turn.
            # A slot is checked filled: with the time the answer names, if any
            # ("morning" wants a morning time), and a date that is to come.
            checked = checked_line(suggestion, error.params.get("time", EXAMPLE_TIME))
            if suggestion and isinstance(
                self._answer(with_line(ctx, line=checked), suggest=False), Usage
            ):
                if error.problem == keys.ONE_MEETING:
                    return self._first_meeting(error, with_line(ctx, line=suggestion))
                suggestion = ""
            return Usage(error.problem, error.example, error.params, suggestion)
        except Ambiguous as ambiguous:
            return self._ask(ambiguous, ctx)
        except OverflowError:
            # Only reachable at the calendar's ends (a ``now`` or date near year 1
            # or 9999), where datetime arithmetic has no room left.
            return Usage(keys.BAD_DATE, keys.EX_DATE, {"word": ctx.line.strip()})

    def _ask(self, ambiguous: Ambiguous, ctx: Context) -> ParseResult:
        """Writes the line out once per reading and parses each: the readings that
        make a meeting are the choices. One left is no longer a guess ("today at 3"
        at noon can only be 15:00); none left answers as the first reading does."""
        tokens = tokenize(ctx.line)
        first, last = tokens[ambiguous.first], tokens[ambiguous.last - 1]
        answers: list[ParseResult] = []
        choices: list[Choice] = []
        hour = ""  # a bare hour asked about in the readings' lines
        for reading in ambiguous.readings:
            line = replace(ctx.line, first, last, reading)
            answer = self._answer(with_line(ctx, line=line))
            answers.append(answer)
            if isinstance(answer, Question):
                choices.extend(answer.choices)
                if answer.problem == keys.ASK_HOUR:
                    hour = answer.params["word"]
            elif not isinstance(answer, Usage):
                choices.append(Choice(answer, line))
        word = ctx.line[first.start : last.end]
        if hour and ambiguous.problem in keys.WITH_HOUR:
            # Its choices differ in the hour too: the question says so.
            problem = keys.WITH_HOUR[ambiguous.problem]
            return Question(problem, {"word": word, "hour": hour}, tuple(choices))
        if not choices:
            answer = answers[0]
            passed = _all_passed(answers, ambiguous.readings[0], word)
            if passed is not None:
                return passed
            offered = self._offered(answers, ctx)
            if len(offered) == 1:
                return offered[0][0]  # the one reading left: offered, not made
            if offered:
                params = {"word": word, **ambiguous.params}
                return Question(ambiguous.problem, params, tuple(c for _, c in offered))
            if isinstance(answer, Usage) and answer.params.get("word") in ambiguous.readings:
                # Named as the person wrote it, not as the reading spelled it.
                return with_line(answer, params={**answer.params, "word": word})
            return answer
        if len(choices) == 1 and not ambiguous.confirm:
            return choices[0].command
        return Question(ambiguous.problem, {"word": word, **ambiguous.params}, tuple(choices))

    def _offered(self, answers: list[ParseResult], ctx: Context) -> list[tuple[Usage, Choice]]:
        """The readings answered only with a line to send ("3 London time":
        06:00 and 18:00 in Moscow), each with the choice its line makes; one
        reading's line alone would be a guess of the others' hour or date."""
        offered: list[tuple[Usage, Choice]] = []
        for answer in answers:
            # A reading gone is no choice.
            if not isinstance(answer, Usage) or answer.problem == keys.TIME_IN_PAST:
                continue
            if not answer.suggestion:
                continue
            command = self._answer(with_line(ctx, line=answer.suggestion), suggest=False)
            if not isinstance(command, Usage | Question):
                offered.append((answer, Choice(command, answer.suggestion)))
        return offered

    def _first_meeting(self, error: GrammarError, first: Context) -> Usage:
        """Two meetings where the line for the first alone is not whole
        ("rename 2 3": "rename 2"): that line as its own answer puts it right
        ("rename 2 New topic") or shows its example of that meeting, so the
        line offered "for #2" is one for #2, not the stock one of #12."""
        answer = self._answer(first)
        if not isinstance(answer, Usage):  # a question: the stock example
            return Usage(error.problem, error.example, error.params)
        params = {**answer.params, **error.params}
        return Usage(error.problem, answer.example, params, answer.suggestion)

    def _typo_fixed(self, error: GrammarError, ctx: Context) -> str:
        """The line with the word an error names put right: a slip of a keyword
        ("weekly mnday 10:00" -> "weekly monday 10:00"), or a time out of range
        left for the person to give ("tomorrow 25:00" -> "tomorrow <time>"; never
        a time they did not type)."""
        word = error.params.get("word", "")
        if error.problem == keys.UNTERMINATED_QUOTE:
            return ""  # the line has no tokens to fix
        for token in tokenize(ctx.line):
            if token.text != word:
                continue
            if error.problem == keys.BAD_TIME:
                return replace(ctx.line, token, token, TIME_SLOT)
            if (keyword := self.typos.closest(token.low)) is not None:
                return replace(ctx.line, token, token, keyword)
        return ""

    def _parse(self, tokens: Args, ctx: Context) -> ParseResult:
        if not tokens:
            return Help()
        first = tokens[0]
        command = self.commands.get(first.low) if first.kind is Kind.WORD else None
        if command is None:
            return parse_new_meeting(tokens, ctx, self.typos)
        try:
            return command(tokens[1:], ctx)
        except Ambiguous as ambiguous:
            raise ambiguous.shifted(1) from None  # counted from the command word
        except GrammarError as error:
            # "cancel" alone: the command word is what needs more after it.
            if not TOKEN_PARAMS & error.params.keys():
                error.params["word"] = first.text
            raise


def _all_passed(answers: list[ParseResult], first: str, word: str) -> Usage | None:
    """Every reading of a line has passed ("today at 5" at 18:52: 05:00 and
    17:00): said of both, named as the person wrote it; ``None`` otherwise."""
    passed = [a for a in answers if isinstance(a, Usage) and a.problem == keys.TIME_IN_PAST]
    if len(passed) < 2 or len(passed) != len(answers):
        return None
    said = passed[0].params["word"].replace(first, word, 1)
    whens = " or ".join(a.params["when"] for a in passed)
    return Usage(keys.TIMES_IN_PAST, passed[0].example, {"word": said, "when": whens})


def parse_new_meeting(tokens: Args, ctx: Context, typos: Typos) -> NewMeeting:
    """A line that starts with no command word: a new meeting's schedule and tail."""
    found = read_schedule(tokens, ctx)
    if found is None:
        raise unknown_start(tokens, ctx, typos)
    tail = read_tail(
        tokens,
        found.end,
        ctx.mentions,
        found.example,
        found.duration,
        zone=ctx.zone,
        line=ctx.line,
        once=once_read(found, ctx),
    )
    return NewMeeting(
        schedule=found.schedule, duration=tail.duration, topic=tail.topic, invitees=tail.invitees
    )
