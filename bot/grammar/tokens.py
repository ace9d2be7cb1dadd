"""Splits a command line into words, quoted strings and mentions.

The tokenizer knows only the surface: which characters are seen at all, where a
quoted string starts and ends and which words are mentions. Everything with
meaning lives in the parsers.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from enum import Enum

from bot.grammar import keys
from bot.grammar.errors import GrammarError

# Opening quote -> the closers accepted for it. Russian text mixes «…», „…“ and
# “…”, and phones substitute typographic quotes for straight ones.
QUOTES: dict[str, tuple[str, ...]] = {
    '"': ('"', "”", "“"),
    "'": ("'", "’"),
    "«": ("»",),
    "“": ("”", '"', "“"),
    "„": ("“", "”", '"'),
    "‘": ("’", "'"),
}


class Kind(Enum):
    WORD = "word"
    QUOTED = "quoted"
    MENTION = "mention"  # starts with "@" or is Slack's "<@…>"


@dataclass(frozen=True, slots=True)
class Token:
    kind: Kind
    text: str
    # Where the token sits in the cleaned line (``clean_line``), quotes included:
    # examples built from what the person typed replace just this span.
    start: int = field(default=0, compare=False)
    end: int = field(default=0, compare=False)

    @property
    def low(self) -> str:
        """The text folded for keyword matching: emoji left out (``fo👍r`` is
        ``for``), compatibility forms (full-width ``ｌｉｓｔ``, ``１５:００``) to their
        plain letters, lowercased, ``ё`` as ``е``."""
        return fold(self.text)


def fold(text: str) -> str:
    """``Token.low`` of ``text``."""
    if text.isascii():
        # The same, without a look-up per character (parsers ask for it per
        # keyword they try): ASCII has no emoji or compatibility forms, and
        # its only pictograph-class characters are ``^`` and ``\```.
        return text.translate(_ASCII_PICTOGRAPHS).lower()
    bare = "".join(c for c in text if c not in _EMOJI_PARTS and not _pictograph(c))
    return unicodedata.normalize("NFKC", bare).lower().replace("ё", "е")


_ASCII_PICTOGRAPHS = str.maketrans("", "", "^`")  # Unicode category Sk


# Pieces of emoji sequences besides the pictographs themselves: joiner, variation
# selectors, keycap.
_EMOJI_PARTS = frozenset("\u200d\ufe0e\ufe0f\u20e3")


def _pictograph(char: str) -> bool:
    # So: emoji, flags' regional indicators; Sk: skin-tone modifiers among others.
    return unicodedata.category(char) in {"So", "Sk"}


# What a phone, a copy from a web page or a hostile sender slips between letters:
# format characters (zero-width, bidi marks and overrides, soft hyphen, BOM) and
# control characters. A reader does not see them, so the grammar does not either:
# "remin\x11d" is "remind", and no error ever quotes an invisible word.
_JOINABLE = frozenset({"So", "Sk", "Mn"})  # emoji and their modifiers


def _unseen(text: str, i: int) -> bool:
    char = text[i]
    category = unicodedata.category(char)
    if category == "Cc":
        return not char.isspace()
    if category != "Cf":
        return False
    # A zero-width joiner inside an emoji sequence (🧑‍💻) is part of what is seen.
    if char == "\u200d" and 0 < i < len(text) - 1:
        return not (
            unicodedata.category(text[i - 1]) in _JOINABLE
            and unicodedata.category(text[i + 1]) in _JOINABLE
        )
    return True


def clean_line(text: str) -> str:
    """The line as a reader sees it: invisible characters removed."""
    if text.isascii() and text.isprintable():  # no control or format character in it
        return text
    return "".join(char for i, char in enumerate(text) if not _unseen(text, i))


def tokenize(text: str) -> tuple[Token, ...]:
    """The tokens of ``clean_line(text)``."""
    text = clean_line(text)
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char.isspace():
            i += 1
            continue
        if char in QUOTES:
            i = _read_quoted(text, i, tokens)
        elif text.startswith("<@", i):
            # Slack's resolved mention may not contain spaces, but read to ">"
            # so that a display name with spaces stays in one token.
            end = text.find(">", i)
            stop = end + 1 if end != -1 else _word_end(text, i)
            tokens.append(Token(Kind.MENTION, text[i:stop], i, stop))
            i = stop
        else:
            stop = _word_end(text, i)
            word = text[i:stop]
            kind = Kind.MENTION if word.startswith("@") else Kind.WORD
            tokens.append(Token(kind, word, i, stop))
            i = stop
    return tuple(tokens)


def _word_end(text: str, start: int) -> int:
    i = start
    while i < len(text) and not text[i].isspace():
        i += 1
    return i


def _read_quoted(text: str, start: int, tokens: list[Token]) -> int:
    opener = text[start]
    closers = QUOTES[opener]
    i = start + 1
    while i < len(text):
        # A closer counts only at the end of a word, so "'Alice's plan'" keeps
        # its apostrophe.
        if text[i] in closers and (i + 1 == len(text) or text[i + 1].isspace()):
            tokens.append(Token(Kind.QUOTED, text[start + 1 : i], start, i + 1))
            return i + 1
        i += 1
    raise GrammarError(keys.UNTERMINATED_QUOTE, keys.EX_TOPIC, quote=opener)
