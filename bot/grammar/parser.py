"""The entry point: the text after ``/meet`` in, a command or a ``Usage`` out.

Which words start which command is not known here: the command catalogue
(``bot/catalogue.py``) builds a ``Grammar`` from what each command declares.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from bot.chat import Mention
from bot.commands import Command, Help, NewMeeting, ParseResult, Usage
from bot.grammar import keys
from bot.grammar.context import Context
from bot.grammar.errors import GrammarError
from bot.grammar.tail import read_tail
from bot.grammar.tokens import Kind, Token, tokenize
from bot.grammar.when import read_schedule

Args = tuple[Token, ...]
# Reads the words after a command word; raises ``GrammarError`` on bad input.
ArgsParser = Callable[[Args, Context], Command]


@dataclass(frozen=True, slots=True)
class Grammar:
    """The command words with their parsers, and the words ``help`` knows."""

    commands: Mapping[str, ArgsParser]
    help_topics: Mapping[str, str]

    def parse(
        self, text: str, *, now: datetime, zone: str, mentions: tuple[Mention, ...] = ()
    ) -> ParseResult:
        """Parse a ``/meet`` command line.

        ``now`` is the current moment (aware, UTC); ``zone`` the person's IANA zone,
        in which one-time wall-clock times are meant; ``mentions`` the mentions the
        messenger already resolved. Never raises for any ``text``: what cannot be
        understood comes back as a ``Usage`` naming the problem and an example.
        """
        ctx = Context(now=now, zone=zone, mentions=mentions, help_topics=self.help_topics)
        try:
            return self._parse(tokenize(text), ctx)
        except GrammarError as error:
            return Usage(problem=error.problem, example=error.example, params=error.params)
        except OverflowError:
            # Only reachable at the calendar's ends (a ``now`` or date near year 1
            # or 9999), where datetime arithmetic has no room left.
            return Usage(problem=keys.BAD_DATE, example=keys.EX_DATE, params={"word": text.strip()})

    def _parse(self, tokens: Args, ctx: Context) -> ParseResult:
        if not tokens:
            return Help()
        first = tokens[0]
        command = self.commands.get(first.low) if first.kind is Kind.WORD else None
        if command is not None:
            return command(tokens[1:], ctx)
        return parse_new_meeting(tokens, ctx)


def parse_new_meeting(tokens: Args, ctx: Context) -> NewMeeting:
    """A line that starts with no command word: a new meeting's schedule and tail."""
    found = read_schedule(tokens, ctx)
    if found is None:
        raise GrammarError(keys.UNKNOWN_COMMAND, keys.EX_HELP, word=tokens[0].text)
    tail = read_tail(tokens, found.end, ctx.mentions, found.example)
    return NewMeeting(
        schedule=found.schedule, duration=tail.duration, topic=tail.topic, invitees=tail.invitees
    )
