"""The person's own line, quoted or put right: errors name what was typed, and
their example is the same line with the one fix in it."""

from __future__ import annotations

from bot.grammar import keys
from bot.grammar.errors import GrammarError
from bot.grammar.tokens import Token

# Where the time the person typed could not be read, the line put right holds
# this slot, never a time they did not give; the reply writes it in the
# reader's language (``bot.asking``), and the line is checked with a time in it.
TIME_SLOT = "<time>"
# The same for a date where none was typed ("for 1h Sync", "once Retro").
DATE_SLOT = "<date>"
# Every slot a line put right or an example may show, in either language,
# with what a line is checked with in it: one sent back unfilled is told so,
# not read as a date or a topic.
_TIME_SLOTS = (TIME_SLOT, "<время>")
_OTHER_SLOTS: dict[str, str] = {
    **dict.fromkeys((DATE_SLOT, "<дата>"), "tomorrow"),
    **dict.fromkeys(("<days>", "<дни>"), "mon"),
}
_SLOTS = frozenset({*_TIME_SLOTS, *_OTHER_SLOTS})


def filled(line: str, *, time: str, date: str) -> str:
    """``line`` with its slots given in the reader's words, to show it."""
    return line.replace(TIME_SLOT, time).replace(DATE_SLOT, date)


def checked_line(line: str, time: str) -> str:
    """``line`` with each slot filled in (the time with ``time``), to check
    that the line offered parses once the person fills it in."""
    for slot in _TIME_SLOTS:
        line = line.replace(slot, time)
    for slot, value in _OTHER_SLOTS.items():
        line = line.replace(slot, value)
    return line


def unread_time(line: str, token: Token, example: str) -> GrammarError:
    """``token`` stands where the time goes and is none: named as the bad
    time, the line offered with the slot in its place."""
    return GrammarError(
        keys.BAD_TIME, example, word=token.text, suggestion=replace(line, token, token, TIME_SLOT)
    )


def no_slot_left(tokens: tuple[Token, ...], line: str) -> tuple[Token, ...]:
    """``tokens``, refused when a slot was sent back without filling it in:
    the answer shows the person's ``line`` again, where the slot is."""
    slot = next((token for token in tokens if token.low in _SLOTS), None)
    if slot is not None:
        raise GrammarError(keys.SLOT_LEFT, keys.EX_ONCE, suggestion=line, word=slot.text)
    return tokens


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
