"""The person's own line, quoted or put right: errors name what was typed, and
their example is the same line with the one fix in it."""

from __future__ import annotations

from bot.grammar.tokens import Token

# Where the time the person typed could not be read, the line put right holds
# this slot, never a time they did not give; the reply writes it in the
# reader's language (``bot.asking``), and the line is checked with a time in it.
TIME_SLOT = "<time>"
# The same for a date where none was typed ("for 1h Sync", "once Retro").
DATE_SLOT = "<date>"


def phrase(line: str, tokens: tuple[Token, ...], first: int, last: int) -> str:
    """``tokens[first:last]`` exactly as they stand in ``line``."""
    if first >= last or first >= len(tokens):
        return ""
    return line[tokens[first].start : tokens[min(last, len(tokens)) - 1].end]


def insert_after(line: str, token: Token, text: str) -> str:
    return f"{line[: token.end]} {text}{line[token.end :]}".strip()


def replace(line: str, first: Token, last: Token, text: str) -> str:
    """``line`` with the tokens from ``first`` to ``last`` (inclusive) replaced."""
    return f"{line[: first.start]}{text}{line[last.end :]}".strip()
