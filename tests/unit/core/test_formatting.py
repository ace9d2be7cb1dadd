"""Dates in the reader's language: ``when`` writes what babel's pattern
``EEE d MMM y, HH:mm`` writes, for every day and both languages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from babel.dates import format_datetime

from bot.chat import Lang
from bot.formatting import when
from bot.timerules import zone_info


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("zone", ["Europe/Moscow", "America/New_York", "Asia/Kathmandu"])
def test_when_writes_what_babel_writes(lang: Lang, zone: str) -> None:
    instant = datetime(2026, 1, 1, 0, 7, tzinfo=UTC)
    for _ in range(800):  # every day over two years, at shifting times
        local = instant.astimezone(zone_info(zone))
        expected = format_datetime(local, "EEE d MMM y, HH:mm", locale=lang) + f" ({zone})"
        assert when(instant, zone, lang) == expected
        instant += timedelta(days=1, minutes=37)
