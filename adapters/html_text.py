"""What the messengers that take HTML (Telegram, TrueConf chat) show alike: a
``Text`` block's lines, escaped, muted in italics, an error with its sign; and
lines cut into messages of a length limit without breaking their markup."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from html import escape

from bot.reply import Tone


def text_lines(text: str, tone: Tone) -> list[str]:
    lines = text.split("\n")
    if tone is Tone.MUTED:
        return [f"<i>{escape(line)}</i>" if line else "" for line in lines]
    if tone is Tone.ERROR:
        lines[0] = "⚠️ " + lines[0]
    return [escape(line) for line in lines]


# One piece of a line of HTML, in the order tried: a whole link (never cut), a
# tag, an entity, a run of spaces, a word, a stray "<" or "&".
_ATOM = re.compile(r"<a\b[^>]*>.*?</a>|<[^>]*>|&#?\w+;|\s+|[^<&\s]+|[<&]", re.DOTALL)
_TAG = re.compile(r"<(/?)([a-z]+)\b[^>]*>")
_ZWJ = "\u200d"
# Characters drawn with the one before them: variation selectors, skin tones,
# tag characters (a subdivision's flag), more variation selectors.
_JOINING = (
    range(0xFE00, 0xFE10),
    range(0x1F3FB, 0x1F400),
    range(0xE0020, 0xE0080),
    range(0xE0100, 0xE01F0),
)
_FLAG_LETTERS = range(0x1F1E6, 0x1F200)  # regional indicators: two make a flag


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units (a character past U+FFFF counts two): the
    safe measure where an API does not say whether it counts those or characters."""
    return len(text.encode("utf-16-le")) // 2


def _joins_previous(char: str, previous: str) -> bool:
    """``char`` belongs to the character before it on screen: a combining
    mark, a modifier, or what a zero-width joiner ties on (one emoji)."""
    return (
        _ZWJ in (previous, char)
        or unicodedata.combining(char) != 0
        or any(ord(char) in joining for joining in _JOINING)
    )


def _graphemes(word: str) -> list[str]:
    """``word`` as what people see as characters (close enough for cutting:
    a flag's two regional indicators, an emoji with its modifiers stay whole)."""
    found: list[str] = []
    pairing = False  # a regional indicator waiting for its pair
    for char in word:
        letter = ord(char) in _FLAG_LETTERS
        if found and (_joins_previous(char, found[-1][-1]) or (letter and pairing)):
            found[-1] += char
            pairing = False
        else:
            found.append(char)
            pairing = letter
    return found


class _Pieces:
    """The pieces of one line being cut: the open tags are closed at each cut
    and opened again after it."""

    def __init__(self, limit: int, measure: Callable[[str], int]) -> None:
        self.limit, self.measure = limit, measure
        self.done: list[str] = []
        self.opened: list[tuple[str, str]] = []  # (name, opening tag), outermost first
        self.parts: list[str] = []
        self.size = 0

    def closing(self) -> str:
        return "".join(f"</{name}>" for name, _ in reversed(self.opened))

    def room(self, atom: str, *, fresh: bool = False) -> bool:
        """``atom`` fits the piece (``fresh``: a new piece, the tags reopened)."""
        tags = sum(self.measure(tag) for _, tag in self.opened) if fresh else self.size
        return tags + self.measure(atom) + self.measure(self.closing()) <= self.limit

    def add(self, atom: str) -> None:
        if tag := _TAG.fullmatch(atom):
            if not tag[1]:
                self.opened.append((tag[2], atom))
            elif self.opened:
                self.opened.pop()
        self.parts.append(atom)
        self.size += self.measure(atom)

    def cut(self) -> None:
        """End the piece (without the spaces it ends with), start the next."""
        while self.parts and self.parts[-1].isspace():
            self.size -= self.measure(self.parts.pop())
        piece = "".join(self.parts) + self.closing()
        if _TAG.sub("", piece).strip():
            self.done.append(piece)
        self.parts = [tag for _, tag in self.opened]
        self.size = sum(self.measure(tag) for tag in self.parts)


def _smaller(atom: str) -> list[str]:
    """An atom longer than a piece, in smaller ones: a link's text without
    its address, a word's characters; nothing for one character."""
    if atom.startswith("<a"):
        return _ATOM.findall(re.sub(r"^<a\b[^>]*>|</a>$", "", atom))
    if atom.startswith("&"):  # an entity is never cut
        return []
    found = _graphemes(atom)
    return found if len(found) > 1 else []


def split_line(line: str, limit: int, measure: Callable[[str], int] = utf16_len) -> list[str]:
    """A line of HTML (its tags closed on it) in pieces of at most ``limit``,
    cut at spaces where it can be: never inside a tag, a link or an entity.
    A piece closes the tags open where it is cut, the next opens them again.
    A word longer than a piece is cut between characters as people see them;
    a link longer than a piece keeps its text and loses its address."""
    if measure(line) <= limit:
        return [line]
    pieces = _Pieces(limit, measure)
    atoms = _ATOM.findall(line)[::-1]  # a stack: an atom too long goes back in smaller ones
    while atoms:
        atom = atoms.pop()
        if (tag := _TAG.fullmatch(atom)) and not tag[1]:  # opening: room to close it too
            if not pieces.room(f"{atom}</{tag[2]}>"):
                pieces.cut()
            pieces.add(atom)
        elif tag or pieces.room(atom):
            pieces.add(atom)
        elif pieces.room(atom, fresh=True):  # fits a piece of its own: cut before it
            pieces.cut()
            if not atom.isspace():
                pieces.add(atom)
        else:
            atoms.extend(reversed(_smaller(atom)))
    pieces.cut()
    return pieces.done


def split_messages(
    lines: list[str], limit: int, measure: Callable[[str], int] = utf16_len
) -> list[str]:
    """Lines of HTML as messages of at most ``limit``: whole lines where they
    fit, a line longer than a message cut by ``split_line``."""
    messages: list[str] = []
    current: list[str] = []
    size = 0
    for line in lines:
        for piece in split_line(line, limit, measure):
            extra = measure(piece) + (1 if current else 0)
            if current and size + extra > limit:
                messages.append("\n".join(current))
                current, size, extra = [], 0, measure(piece)
            current.append(piece)
            size += extra
    if current:
        messages.append("\n".join(current))
    return [message for message in messages if message.strip()]
