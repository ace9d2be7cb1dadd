"""Text from a peer kept on its own line: a message, and an exception's own
line inside a traceback."""

from __future__ import annotations

import traceback
from typing import Any


def escaped_line(message: str) -> str:
    """``message`` with what is not printable escaped (``\\n``, ``\\x1b``,
    ``\\u202e``): text from a peer (a server's error, a request's field)
    cannot start a line of its own, move the cursor or turn text around."""
    if message.isprintable():
        return message
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in message)


def exception_text(ei: Any) -> str:
    """The traceback of ``ei`` (``sys.exc_info()``'s three) with its lines,
    each exception's own line (often a server's answer) kept to one line as
    a message is: a newline in it cannot start a record of its own."""
    text = "".join(traceback.format_exception(*ei)).rstrip("\n")
    for error in _chain(ei[1]):
        raw = "".join(traceback.format_exception_only(type(error), error)).rstrip("\n")
        text = text.replace(raw, escaped_line(raw))
    return text


def _chain(error: BaseException | None) -> list[BaseException]:
    """``error`` and the causes and contexts a traceback shows with it."""
    seen: list[BaseException] = []
    while error is not None and error not in seen:
        seen.append(error)
        error = error.__cause__ or (None if error.__suppress_context__ else error.__context__)
    return seen
