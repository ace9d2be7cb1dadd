"""Splits a command line into words, quoted strings and mentions.

The tokenizer knows only the surface: where a quoted string starts and ends and
which words are mentions. Everything with meaning lives in the parsers.
"""

from __future__ import annotations

from dataclasses import dataclass
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

    @property
    def low(self) -> str:
        """Lowercased text for keyword matching (``ё`` folded to ``е``)."""
        return self.text.lower().replace("ё", "е")


def tokenize(text: str) -> tuple[Token, ...]:
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
            tokens.append(Token(Kind.MENTION, text[i:stop]))
            i = stop
        else:
            stop = _word_end(text, i)
            word = text[i:stop]
            kind = Kind.MENTION if word.startswith("@") else Kind.WORD
            tokens.append(Token(kind, word))
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
            tokens.append(Token(Kind.QUOTED, text[start + 1 : i]))
            return i + 1
        i += 1
    raise GrammarError(keys.UNTERMINATED_QUOTE, keys.EX_TOPIC, quote=opener)
