"""The line offered for a plain line typed in a personal chat: the person's
own text, as the grammar reads it."""

from __future__ import annotations

import pytest

from adapters.plain_text import HELP_LINE, meant
from tests.unit.grammar.support import NOW, ZONE


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("tomorrow 15:00 Re\x00view", "/meet tomorrow 15:00 Review"),
        ("tomorrow 15:00 \u202eweiveR", "/meet tomorrow 15:00 weiveR"),
        ("tomorrow 15:00\x1b Review\x7f\u2066", "/meet tomorrow 15:00 Review"),
        ("завтра 15:00\u200f Обзор\x07", "/meet завтра 15:00 Обзор"),
        ("\x00\u202e", HELP_LINE),
    ],
)
def test_control_and_bidi_characters_are_not_echoed(text: str, line: str) -> None:
    # They were shown back as typed: a bidi override made the offered line
    # read backwards, and control characters reached the messenger.
    assert meant(text, now=NOW, zone=ZONE) == line
