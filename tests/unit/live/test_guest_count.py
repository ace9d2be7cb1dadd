"""Guests on a live card and in a summary are counted in words that read right."""

from __future__ import annotations

import pytest

from bot.chat import Lang
from bot.i18n import Translator
from bot.live.summary import guests_text


@pytest.mark.parametrize(
    ("lang", "count", "says"),
    [("en", 1, "1 guest"), ("en", 2, "2 guests"), ("ru", 1, "гостей: 1"), ("ru", 5, "гостей: 5")],
)
def test_guests_are_counted_without_a_bracketed_plural(lang: Lang, count: int, says: str) -> None:
    assert guests_text(count, Translator(lang)) == says
