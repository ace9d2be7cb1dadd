"""A TrueConf chat reply longer than a message (4,096) is split without
breaking what it shows: between lines, then between words; never inside a
link, a tag or an entity, nor inside a character as people see it (an emoji
with its skin tone, a flag); each message within the limit in UTF-16 units."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.html_text import split_line, utf16_len
from adapters.trueconf_chat.render import MAX_MESSAGE, render
from bot.reply import Field, Fields, Link, LinkKind, Links, Reply, Text, Title, Tone

_TAGS = re.compile(r"<[^>]*>")


class _Balance(HTMLParser):
    """Whether every tag opened is closed, in order, and nothing else is."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.broken = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.broken = True


def _well_formed(html: str) -> bool:
    checker = _Balance()
    checker.feed(html)
    checker.close()
    # No tag or entity cut off at either end.
    cut = re.search(r"<[^>]*$|^[^<]*>|&#?\w*$", html) is not None
    return not checker.broken and not checker.stack and not cut


def _words(html: str) -> list[str]:
    return unescape(_TAGS.sub(" ", html)).split()


def _sent(reply: Reply) -> list[str]:
    messages = [m.text for m in render(reply, personal=True)]
    for message in messages:
        assert utf16_len(message) <= MAX_MESSAGE
        assert _well_formed(message), message[-80:]
    return messages


TOPIC = 'Quarterly "R&D" <review> of 👍🏽 and 🇷🇺 with Ёжик & co, '


@pytest.mark.parametrize(
    "reply",
    [
        Reply((Title(TOPIC * 150),)),
        Reply((Text(TOPIC * 150, Tone.MUTED),)),
        Reply((Fields((Field("Topic", TOPIC * 150),)),)),
        Reply((Text("& < > \" ' " * 1500 + "👍🏽 🇷🇺 " * 1500),)),
    ],
    ids=["a long topic", "a long muted line", "a long field", "entities and emoji unbroken"],
)
def test_a_line_longer_than_a_message_is_cut_between_words(reply: Reply) -> None:
    messages = _sent(reply)
    assert len(messages) > 1
    shown = [word for message in messages for word in _words(message)]
    assert shown == _words("\n".join(_sent_whole(reply)))


def _sent_whole(reply: Reply) -> list[str]:
    """The same reply with no limit: what the cut messages must show between them."""
    return [m.text for m in render(reply, personal=True, limit=10**9)]


def test_a_word_longer_than_a_message_is_cut_between_characters_people_see() -> None:
    flags = "x" + "🇷🇺👍🏽e\u0301" * 2000  # odd start: a code-point cut would split a pair
    messages = _sent(Reply((Title(flags),)))
    assert "".join(unescape(_TAGS.sub("", m)) for m in messages) == flags
    for message in messages:
        text = unescape(_TAGS.sub("", message))
        assert not text.startswith(("\U0001f3fd", "\u0301"))
        assert len(re.findall("[\U0001f1e6-\U0001f1ff]", text)) % 2 == 0


def test_a_long_list_is_split_between_its_lines() -> None:
    lines = [f"#{n} Mon 10:00 Standup <team> & friends 👍🏽 — {'x' * (n % 40)}" for n in range(400)]
    messages = _sent(Reply((Text("\n".join(lines)),)))
    assert len(messages) > 1
    received = [unescape(line) for message in messages for line in message.split("\n")]
    assert received == lines


def test_a_link_is_never_cut() -> None:
    link = Link("Join " + "the meeting " * 10, "https://video.example.com/c/1", LinkKind.BROWSER)
    line = f'<b>{"Topic " * 20}</b> <a href="{link.url}">{link.label}</a> ' + "tail " * 30
    for limit in range(60, 400, 7):
        for piece in split_line(line, limit):
            assert utf16_len(piece) <= limit
            assert _well_formed(piece)
            assert ("<a " in piece) == ("</a>" in piece)
    # A link longer than any message keeps its words, not its address.
    huge = Reply(
        (Links((Link("Guest " * 1000, "https://video.example.com/c/1", LinkKind.GUEST),)),)
    )
    assert _words("\n".join(_sent(huge))) == ["Guest"] * 1000


_PIECES = ["a", "b", " ", "<", "&", ">", '"', "'", "\n", "😀", "я", "👍🏽", "🇷🇺", "e\u0301"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=9000).map("".join))
def test_any_text_fits_a_message_and_keeps_every_character(text: str) -> None:
    reply = Reply(
        (
            Title(text[:300]),
            Text(text, Tone.MUTED),
            Links((Link(text[:50], "https://x.example/c", LinkKind.BROWSER),)),
        )
    )
    messages = _sent(reply)
    shown = "".join(unescape(_TAGS.sub("", m)) for m in messages)
    wanted = "".join(unescape(_TAGS.sub("", m)) for m in _sent_whole(reply))
    assert "".join(shown.split()) == "".join(wanted.split())
