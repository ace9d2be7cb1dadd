"""Shared fixed moment and a parse helper for the grammar tests."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.catalogue import parse
from bot.chat import Mention
from bot.commands import ParseResult

# Monday 23 November 2026, 11:00 in Moscow (UTC+3 all year).
NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
ZONE = "Europe/Moscow"


def p(
    text: str,
    *,
    now: datetime = NOW,
    zone: str = ZONE,
    mentions: tuple[Mention, ...] = (),
) -> ParseResult:
    return parse(text, now=now, zone=zone, mentions=mentions)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)
