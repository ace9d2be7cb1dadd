"""Telegram HTML: every piece of text escaped, long replies split cleanly."""

from __future__ import annotations

from html import unescape
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.telegram.render import MAX_MESSAGE, render, utf16_len
from bot.reply import (
    Copyable,
    Field,
    Fields,
    Link,
    LinkKind,
    Links,
    Reply,
    Text,
    Title,
    Tone,
)

pytestmark = pytest.mark.timeout(30)

EVIL = '<script>alert("x")</script> & <b>bold</b>'


class Tags(HTMLParser):
    """Checks tags open and close in order, as Telegram's parser demands."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []
        self.balanced = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.balanced = False

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed(chunk: str) -> Tags:
    tags = Tags()
    tags.feed(chunk)
    tags.close()
    return tags


def test_every_block_escapes_what_people_typed() -> None:
    reply = Reply(
        (
            Title(EVIL),
            Text(EVIL, Tone.MUTED),
            Text(EVIL, Tone.ERROR),
            Fields((Field(EVIL, EVIL),)),
            Links((Link(EVIL, 'https://x.test/?a=1&b="2"', LinkKind.BROWSER),)),
            Copyable(EVIL, (EVIL,)),
        )
    )
    (html,) = render(reply)
    tags = parsed(html)
    assert tags.balanced
    assert not tags.stack
    assert "<script>" not in html
    assert "<b>bold</b>" not in html
    assert html.count("&lt;script&gt;") == 8  # each place a person's text appears
    assert 'href="https://x.test/?a=1&amp;b=&quot;2&quot;"' in html
    assert "".join(tags.text).count(EVIL) == 8


def test_a_custom_scheme_link_is_code_not_a_link() -> None:
    reply = Reply((Links((Link("App", "trueconf:\\c\\1@x%23vcs", LinkKind.APP),)),))
    (html,) = render(reply)
    assert "<a" not in html
    assert "<code>trueconf:" in html


def test_with_an_open_page_the_app_link_becomes_https() -> None:
    reply = Reply(
        (
            Links(
                (
                    Link("Browser", "https://tc.test/webrtc/1", LinkKind.BROWSER),
                    Link("App", "trueconf:c1", LinkKind.APP),
                )
            ),
        )
    )
    (html,) = render(
        reply, open_link=lambda to, back, _about: f"https://bridge.test/open?to={to}&f={back}"
    )
    assert 'href="https://bridge.test/open?to=trueconf:c1&amp;f=https://tc.test/webrtc/1"' in html


def test_a_long_reply_is_split_between_lines_within_the_limit() -> None:
    lines = tuple(Fields((Field(f"Line {n} <&>", "x" * 50),)) for n in range(300))
    chunks = render(Reply((Title("Many"), *lines)))
    assert len(chunks) > 1
    for chunk in chunks:
        assert utf16_len(chunk) <= MAX_MESSAGE
        assert parsed(chunk).balanced
    text = "\n".join(unescape(c) for c in chunks)
    assert all(f"Line {n} <&>:" in text for n in range(300))


def test_one_overlong_line_is_cut_as_plain_text_and_nothing_is_lost() -> None:
    words = " ".join(f"w{n}&<" for n in range(3000))  # about 18,000 characters
    chunks = render(Reply((Text(words),)))
    assert len(chunks) > 3
    assert all(utf16_len(c) <= MAX_MESSAGE for c in chunks)
    assert all(parsed(c).balanced for c in chunks)
    assert "".join(unescape(c) for c in chunks) == words


def test_the_limit_counts_utf16_units() -> None:
    emoji = "😀" * 3000  # two UTF-16 units each: 6,000 units in 3,000 characters
    chunks = render(Reply((Text(emoji),)))
    assert len(chunks) == 2
    assert all(utf16_len(c) <= MAX_MESSAGE for c in chunks)
    assert "".join(chunks) == emoji


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab <&>\"'\n😀я"), min_size=0, max_size=12_000))
def test_any_text_fits_telegram_and_keeps_every_character(text: str) -> None:
    chunks = render(Reply((Title(text[:300]), Text(text))))
    for chunk in chunks:
        assert utf16_len(chunk) <= MAX_MESSAGE
        assert parsed(chunk).balanced
    shown = "".join("".join(parsed(c).text) for c in chunks)
    wanted = text[:300] + text
    assert "".join(shown.split()) == "".join(wanted.split())


def test_only_app_schemes_go_through_the_open_page() -> None:
    reply = Reply((Links((Link("Odd", "javascript:alert(1)", LinkKind.APP),)),))
    (html,) = render(reply, open_link=lambda to, back, _about: "https://bridge.test/open")
    assert "<a" not in html
    assert "<code>javascript:alert(1)</code>" in html
