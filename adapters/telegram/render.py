"""Renders the core's ``Reply`` as Telegram HTML messages.

Every piece of text from the reply is escaped: topics, names and logins are
typed by people. A message longer than Telegram's limit is split between
lines, never inside a tag; a single line longer than the limit is split as
plain text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape, unescape

from adapters.html_text import text_lines
from bot.reply import (
    Actions,
    Block,
    Copyable,
    Fields,
    File,
    Link,
    LinkContext,
    LinkKind,
    Links,
    Reply,
    Text,
    Title,
)

# Telegram counts UTF-16 code units; measuring the HTML source is the safe side.
MAX_MESSAGE = 4096

# (app deeplink, browser fallback, what the link is about) -> the /open page's URL.
OpenLink = Callable[[str, str, LinkContext | None], str]
# What the /open page opens; any other scheme stays text to copy.
APP_SCHEMES = frozenset({"trueconf", "intent"})


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _is_web(url: str) -> bool:
    return url.startswith(("https://", "http://"))


def _fallback(reply: Reply) -> str:
    for block in reply.blocks:
        if isinstance(block, Links):
            for link in block.items:
                if link.kind in (LinkKind.BROWSER, LinkKind.GUEST) and _is_web(link.url):
                    return link.url
    return ""


def web_url(
    url: str, reply: Reply, open_link: OpenLink | None, about: LinkContext | None = None
) -> str:
    """An http(s) URL for a link: itself, or the /open page for an app deeplink
    (Telegram opens http(s) only); empty when there is no way."""
    if _is_web(url):
        return url
    if open_link is not None and url.partition(":")[0].lower() in APP_SCHEMES:
        return open_link(url, _fallback(reply), about)
    return ""


def _link_line(link: Link, reply: Reply, open_link: OpenLink | None) -> str:
    url = web_url(link.url, reply, open_link, link.about)
    if url:
        return f'<a href="{escape(url)}">{escape(link.label)}</a>'
    return f"{escape(link.label)}: <code>{escape(link.url)}</code>"


def block_lines(block: Block, reply: Reply, open_link: OpenLink | None = None) -> list[str]:
    """One block as lines of HTML, each with its tags closed."""
    match block:
        case Title(text):
            return [f"<b>{escape(text)}</b>"]
        case Text(text, tone):
            return text_lines(text, tone)
        case Fields(items):
            return [f"<b>{escape(f.label)}:</b> {escape(f.value)}" for f in items]
        case Links(items):
            return [_link_line(link, reply, open_link) for link in items]
        case Copyable(label, values):
            shown = [f"<code>{escape(value)}</code>" for value in values]
            if label:
                return [f"<b>{escape(label)}:</b> " + ", ".join(shown)]
            return shown
        case Actions() | File():
            return []  # buttons and documents are sent beside the text
    return []


def _plain_pieces(html_line: str, limit: int) -> list[str]:
    """A line too long for one message: cut its text (at a space where there is
    one near the end), and escape each cut alone so no entity is broken."""
    plain = unescape(re.sub(r"<[^>]+>", "", html_line))
    pieces: list[str] = []
    start, size, last_space = 0, 0, -1
    for index, char in enumerate(plain):
        cost = utf16_len(escape(char))
        if size + cost > limit:
            cut = last_space + 1 if last_space > start + (index - start) // 2 else index
            pieces.append(escape(plain[start:cut]))
            start = cut
            size = utf16_len(escape(plain[start:index]))
            last_space = -1
        if char.isspace():
            last_space = index
        size += cost
    if start < len(plain):
        pieces.append(escape(plain[start:]))
    return pieces


def render(
    reply: Reply, limit: int = MAX_MESSAGE, *, open_link: OpenLink | None = None
) -> list[str]:
    """The reply's text as one or more HTML messages, each within ``limit``."""
    lines: list[str] = []
    for block in reply.blocks:
        lines.extend(block_lines(block, reply, open_link))
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for line in lines:
        for piece in [line] if utf16_len(line) <= limit else _plain_pieces(line, limit):
            extra = utf16_len(piece) + (1 if current else 0)
            if current and size + extra > limit:
                chunks.append("\n".join(current))
                current, size = [], 0
                extra = utf16_len(piece)
            current.append(piece)
            size += extra
    if current:
        chunks.append("\n".join(current))
    return [chunk for chunk in chunks if chunk.strip()]
