"""The core's ``Reply`` as TrueConf chat messages: HTML text (everything people
typed escaped) split at the API's 4,096 characters, and inline buttons.

A reply longer than a message is split between lines; a line longer than a
message between words, never inside a link, a tag or an entity (each piece
closes its tags and the next opens them again), nor inside a character as
people see it. Lengths are counted in UTF-16 units: the API does not say
whether it counts those or characters, and the first is never the fewer.

Buttons. Join in the browser and open in the app are ``url`` buttons: the chat
opens ``trueconf:`` links itself, no https page needed. Every other action is a
``command`` button carrying the catalogue's button token. A press does not say
who pressed (server 5.5.6, library 1.5.4), so in a group chat only buttons that
change nothing and show the same to everyone (the calendar) are offered; the
ones that change a meeting or are for one person (guest link, cancel, a
question's answers, approving a link) appear in a personal chat with the bot,
whose one other member is the presser.

The HTML subset (``<b>``, ``<i>``, ``<a href>``) is a guess at what every client
renders: the API documents ``parseMode: html`` without listing tags.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

from adapters.html_text import split_messages, text_lines
from bot.catalogue import CATALOGUE
from bot.reply import (
    ActionKind,
    Actions,
    Block,
    Copyable,
    Fields,
    File,
    Link,
    LinkKind,
    Links,
    Reply,
    Text,
    Title,
)

MAX_MESSAGE = 4096
MAX_LABEL = 32
# What a TrueConf client opens from a link or a url button.
OPENABLE = ("https://", "http://", "trueconf:")
# Actions a press may run whoever pressed: the same answer for everyone.
ANYONE_MAY_PRESS = frozenset({ActionKind.CALENDAR})

Button = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One message: its HTML and, on the last of a reply's messages, its buttons."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()


def _openable(url: str) -> bool:
    return url.lower().startswith(OPENABLE)


def _link_line(link: Link) -> str:
    if _openable(link.url):
        return f'<a href="{escape(link.url)}">{escape(link.label)}</a>'
    return f"{escape(link.label)}: {escape(link.url)}"


def block_lines(block: Block) -> list[str]:
    match block:
        case Title(text):
            return [f"<b>{escape(text)}</b>"]
        case Text(text, tone):
            return text_lines(text, tone)
        case Fields(items):
            return [f"<b>{escape(f.label)}:</b> {escape(f.value)}" for f in items]
        case Links(items):
            # TrueConf's own apps open trueconf: links on Android as well.
            return [_link_line(link) for link in items if link.kind is not LinkKind.ANDROID]
        case Copyable(label, values):
            shown = ", ".join(escape(v) for v in values)
            return [f"<b>{escape(label)}:</b> {shown}" if label else shown]
        case Actions() | File():
            return []  # buttons and files go beside the text
    return []


def _label(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def _first_link(reply: Reply, *kinds: LinkKind) -> Link | None:
    for kind in kinds:
        for block in reply.blocks:
            if isinstance(block, Links):
                for link in block.items:
                    if link.kind is kind and _openable(link.url):
                        return link
    return None


def buttons(reply: Reply, *, personal: bool) -> tuple[tuple[Button, ...], ...]:
    """The reply's buttons: links to open, and presses (all of them in a
    personal chat; in a group only those anyone may press)."""
    rows: list[tuple[Button, ...]] = []
    presses: list[Button] = []
    for block in reply.blocks:
        if not isinstance(block, Actions):
            continue
        for action in block.items:
            if action.kind is ActionKind.JOIN:
                join = _first_link(reply, LinkKind.BROWSER, LinkKind.PAGE)
                app = _first_link(reply, LinkKind.APP)
                for link, label in ((join, action.label), (app, app.label if app else "")):
                    if link is not None:
                        rows.append(({"type": "url", "label": _label(label), "url": link.url},))
            elif action.command is not None and (personal or action.kind in ANYONE_MAY_PRESS):
                token = CATALOGUE.token(action.command)
                presses.append({"type": "command", "label": _label(action.label), "command": token})
    rows.extend(tuple(presses[i : i + 2]) for i in range(0, len(presses), 2))
    return tuple(rows[:8])


def withheld(reply: Reply, *, personal: bool) -> bool:
    """Whether the reply offers presses a group chat does not show."""
    if personal:
        return False
    return any(
        isinstance(block, Actions)
        and any(a.command is not None and a.kind not in ANYONE_MAY_PRESS for a in block.items)
        for block in reply.blocks
    )


def render(reply: Reply, *, personal: bool, limit: int = MAX_MESSAGE) -> list[Outgoing]:
    lines = [line for block in reply.blocks for line in block_lines(block)]
    chunks = split_messages(lines, limit)
    rows = buttons(reply, personal=personal)
    if rows and not chunks:
        chunks = ["…"]
    last = len(chunks) - 1
    return [Outgoing(text, rows if i == last else ()) for i, text in enumerate(chunks)]


def files(reply: Reply) -> list[File]:
    return [block for block in reply.blocks if isinstance(block, File)]
