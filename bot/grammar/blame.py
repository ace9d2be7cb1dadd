"""A line that starts with no command and no schedule: say which word failed.

``at 1500x``, ``every funday``, ``next xyz``, ``dec 45``: the first word is fine
and the one after it is not, so that one is named. A first word that is a slip
of a keyword gets "did you mean …?" with the line put right.
"""

from __future__ import annotations

from bot.grammar import keys
from bot.grammar.context import Context
from bot.grammar.dates import MONTHS, NEXT_WORDS
from bot.grammar.days import is_day_word, read_days
from bot.grammar.durations import read_duration
from bot.grammar.errors import GrammarError
from bot.grammar.examples import replace
from bot.grammar.tail import FOR_WORDS
from bot.grammar.times import TIME_CONNECTORS
from bot.grammar.tokens import Kind, Token
from bot.grammar.typos import Typos
from bot.grammar.when import EVERY_WORDS, EXAMPLE_TIME

DATE_CONNECTORS = frozenset({"on", "на"})


def unknown_start(tokens: tuple[Token, ...], ctx: Context, typos: Typos) -> GrammarError:
    first = tokens[0]
    word = first.low if first.kind is Kind.WORD else ""
    following = tokens[1] if len(tokens) > 1 else None
    if word in FOR_WORDS and read_duration(tokens, 1) is not None:
        # "for 1h Sync": how long is there, when is not.
        return GrammarError(
            keys.MISSING_TIME,
            keys.EX_ONCE,
            word=first.text,
            suggestion=f"tomorrow {EXAMPLE_TIME} {ctx.line}",
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
    if is_day_word(first) and len(read_days(tokens, 0).days) > 1 and word not in EVERY_WORDS:
        # "mon-fri 9:00 Daily": several days are a weekly meeting without its word.
        weekly = "еженедельно" if _cyrillic(word) else "weekly"
        return GrammarError(
            keys.UNKNOWN_COMMAND, keys.EX_WEEKLY, word=first.text, suggestion=f"{weekly} {ctx.line}"
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
    return GrammarError(keys.UNKNOWN_COMMAND, keys.EX_HELP, word=first.text)


def _cyrillic(word: str) -> bool:
    return any("\u0400" <= char <= "\u04ff" for char in word)
