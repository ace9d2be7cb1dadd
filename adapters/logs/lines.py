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
        lines = _escaped(lines, raw)
    return "\n".join(lines)


def _escaped(lines: list[str], raw: str) -> list[str]:
    """``lines`` with each run of them that is ``raw`` as the traceback
    writes it behind one margin (a group member's ``    | ``, or none)
    joined into one escaped line."""
    written: dict[str, list[str]] = {}  # margin -> the lines raw is written as
    out: list[str] = []
    i = 0
    while i < len(lines):
        for margin in _margins(lines[i]):
            if margin not in written:  # once for each margin: raw may be long
                written[margin] = _written(raw, margin)
            run = written[margin]
            if (
                len(lines) - i >= len(run)
                and _same(lines[i], run[0], margin)
                and all(map(_same, lines[i + 1 : i + len(run)], run[1:], [margin] * len(run)))
            ):
                out.append(margin + escaped_line(raw))
                i += len(run)
                break
        else:
            out.append(lines[i])
            i += 1
    return out


def _margins(line: str) -> tuple[str, ...]:
    """The margins ``line`` may start with: none, and a group member's
    (spaces and "| ", traceback's ``_ExceptionPrintContext.emit``)."""
    bar = line.find("| ")
    if bar > 0 and not line[:bar].strip(" "):
        return ("", line[: bar + 2])
    return ("",)


def _written(raw: str, margin: str) -> list[str]:
    """``raw`` as a traceback writes it behind ``margin``: the margin goes
    before each piece ``str.splitlines`` makes (textwrap.indent), so after a
    "\r" or a "\u2028" in the text too, not only after its "\n"."""
    text = "".join(margin + piece for piece in (raw + "\n").splitlines(keepends=True))
    return text.rstrip("\n").split("\n")


def _same(line: str, want: str, margin: str) -> bool:
    """``line`` is ``want`` (a blank line in a group may lose its margin's trailing space)."""
    return line == want or (want == margin and line == margin.rstrip())


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
