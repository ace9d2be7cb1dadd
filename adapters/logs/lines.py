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
    a message is, a group's sub-exceptions' too (behind their ``|`` margin):
    a newline in it cannot start a record of its own."""
    lines = "".join(traceback.format_exception(*ei)).rstrip("\n").split("\n")
    for error in _shown(ei[1]):
        raw = "".join(traceback.format_exception_only(type(error), error)).rstrip("\n")
        lines = _escaped(lines, raw.split("\n"))
    return "\n".join(lines)


def _escaped(lines: list[str], raw: list[str]) -> list[str]:
    """``lines`` with each run of them that is ``raw`` behind one margin
    (a group member's ``    | ``, or none) joined into one escaped line."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        margin = _margin(lines[i], raw[0])
        run = lines[i : i + len(raw)]
        if margin is not None and [_behind(line, margin) for line in run] == raw:
            out.append(margin + escaped_line("\n".join(raw)))
            i += len(raw)
        else:
            out.append(lines[i])
            i += 1
    return out


def _margin(line: str, first: str) -> str | None:
    """What stands before ``first`` on ``line``: a group's margin, or ``None``."""
    if not line.endswith(first):
        return None
    margin = line[: len(line) - len(first)]
    return margin if not margin.strip(" |") else None


def _behind(line: str, margin: str) -> str | None:
    """``line`` without ``margin`` (a blank line in a group may lose its trailing space)."""
    if line.startswith(margin):
        return line[len(margin) :]
    return "" if line == margin.rstrip() else None


def _shown(error: BaseException | None) -> list[BaseException]:
    """``error``, the causes and contexts a traceback shows with it, and a
    group's sub-exceptions with theirs."""
    shown: list[BaseException] = []
    waiting = [error]
    while waiting:
        for each in _chain(waiting.pop()):
            # Once each: a member raised out of its group has that group
            # as its context (a loop the traceback stops at too).
            if each in shown:
                break
            shown.append(each)
            if isinstance(each, BaseExceptionGroup):
                # Those the traceback shows; it says how many more there were.
                waiting.extend(reversed(each.exceptions[:_MEMBERS_SHOWN]))
    return shown


# What ``traceback`` shows of a group (its ``max_group_width``): a group of
# thousands is not read over for each of them, which cost their square.
_MEMBERS_SHOWN = 15


def _chain(error: BaseException | None) -> list[BaseException]:
    """``error`` and the causes and contexts a traceback shows with it."""
    seen: list[BaseException] = []
    while error is not None and error not in seen:
        seen.append(error)
        error = error.__cause__ or (None if error.__suppress_context__ else error.__context__)
    return seen
