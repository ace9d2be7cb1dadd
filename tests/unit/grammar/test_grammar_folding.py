"""The tokenizer's fast paths for ASCII text give what the general rules give:
a token's folded form (``Token.low``) and the line as a reader sees it."""

from __future__ import annotations

import string
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from bot.grammar.tokens import clean_line, fold

_EMOJI_PARTS = frozenset("\u200d\ufe0e\ufe0f\u20e3")


def _fold_by_the_rules(text: str) -> str:
    bare = "".join(
        c for c in text if c not in _EMOJI_PARTS and unicodedata.category(c) not in {"So", "Sk"}
    )
    return unicodedata.normalize("NFKC", bare).lower().replace("ё", "е")


def _seen_by_the_rules(text: str) -> str:
    return "".join(c for c in text if unicodedata.category(c) not in {"Cc", "Cf"} or c.isspace())


ascii_text = st.text(alphabet=st.characters(max_codepoint=127), max_size=40)


@given(text=st.one_of(ascii_text, st.text(max_size=40)))
def test_folding_ascii_agrees_with_the_rules(text: str) -> None:
    assert fold(text) == _fold_by_the_rules(text)


def test_every_ascii_character_folds_by_the_rules() -> None:
    for code in range(128):
        assert fold(chr(code) + "Ab") == _fold_by_the_rules(chr(code) + "Ab")


@given(text=ascii_text)
def test_printable_ascii_lines_are_seen_as_typed(text: str) -> None:
    assert clean_line(text) == _seen_by_the_rules(text)


def test_ascii_control_characters_are_still_dropped() -> None:
    assert clean_line("remin\x11d 10m") == "remind 10m"
    assert clean_line(string.printable) == _seen_by_the_rules(string.printable)
