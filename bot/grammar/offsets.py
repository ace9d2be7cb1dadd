"""Reminder offsets as people type them: ``10m``, ``10m,1h,1d``, ``off``. Part of
the grammar (``remind``, the settings, the Slack form read them this way); the
reminders package plans with the parsed offsets and imports nothing of this."""

from __future__ import annotations

from datetime import timedelta

from bot.grammar.durations import read_duration
from bot.grammar.tokens import Kind, Token

MAX_OFFSETS = 5
MIN_OFFSET = timedelta(minutes=1)
MAX_OFFSET = timedelta(days=30)
OFF_WORDS = frozenset({"off", "none", "no", "выкл", "нет", "отключить", "без"})


class BadOffset(ValueError):
    """One part of an offsets list that is not a duration in range; ``part``
    names it, ``problem`` says what is wrong: format, range or count."""

    def __init__(self, part: str, why: str, problem: str = "format") -> None:
        super().__init__(f"{part!r}: {why}")
        self.part = part
        self.why = why
        self.problem = problem


def parse_offset(part: str) -> timedelta:
    token = Token(Kind.WORD, part.strip())
    read = read_duration((token,), 0) if token.text else None
    if read is None or read.end != 1 or read.minutes.denominator != 1:
        raise BadOffset(part, "not a duration like 10m, 1h or 1d")
    offset = timedelta(minutes=int(read.minutes))
    if not MIN_OFFSET <= offset <= MAX_OFFSET:
        raise BadOffset(part, "must be between 1 minute and 30 days", "range")
    return offset


def parse_offsets(text: str) -> tuple[timedelta, ...]:
    """``"1h, 10m"`` -> ``(10 min, 1 h)``: sorted, without repeats; ``off`` -> ``()``."""
    text = text.strip()
    if text.lower() in OFF_WORDS:
        return ()
    offsets = sorted({parse_offset(p) for p in text.replace(" ", "").split(",")})
    if len(offsets) > MAX_OFFSETS:
        raise BadOffset(text, f"at most {MAX_OFFSETS} reminders per meeting", "count")
    return tuple(offsets)


def format_offset(offset: timedelta) -> str:
    """``timedelta(minutes=90)`` -> ``"1h30m"``; the compact form ``parse_offset`` reads."""
    minutes = int(offset.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [f"{n}{unit}" for n, unit in ((days, "d"), (hours, "h"), (minutes, "m")) if n]
    return "".join(parts) or "0m"


def format_offsets(offsets: tuple[timedelta, ...]) -> str:
    return ",".join(format_offset(o) for o in offsets)
