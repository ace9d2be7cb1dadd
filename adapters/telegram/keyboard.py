"""Inline keyboards for replies, and the ``callback_data`` their buttons carry.

Telegram allows at most 64 bytes of callback data; ours is a short version tag,
an action code and ids (``m1:cal:12``), checked on the way out and parsed
strictly on the way back in (anyone can send any callback data).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from adapters.telegram.render import OpenLink, web_url
from bot.reply import Action, ActionKind, Actions, Link, LinkKind, Links, Reply

MAX_CALLBACK_DATA = 64
_PREFIX = "m1"
_CODES: dict[ActionKind, str] = {
    ActionKind.CALENDAR: "cal",
    ActionKind.GUEST: "guest",
    ActionKind.CANCEL: "cancel",
    ActionKind.APPROVE_LINK: "ok",
}
_KINDS = {code: kind for kind, code in _CODES.items()}
_DATA = re.compile(r"m1:([a-z]{1,8}):(\d{1,18})(?::([0-9]{1,20}))?")


@dataclass(frozen=True, slots=True)
class Pressed:
    """A button press as the bridge understands it."""

    kind: ActionKind
    meeting_id: int
    subject: str = ""


def callback_data(action: Action) -> str:
    parts = [_PREFIX, _CODES[action.kind], str(action.meeting_id)]
    if action.subject:
        parts.append(action.subject)
    data = ":".join(parts)
    if len(data.encode()) > MAX_CALLBACK_DATA:
        raise ValueError(f"callback data over {MAX_CALLBACK_DATA} bytes: {data!r}")
    return data


def parse_callback(data: str | None) -> Pressed | None:
    """``None`` for data this bridge did not make (or made by an older version)."""
    match = _DATA.fullmatch(data or "")
    if match is None or match[1] not in _KINDS:
        return None
    return Pressed(_KINDS[match[1]], int(match[2]), match[3] or "")


def _link_of(reply: Reply, *kinds: LinkKind) -> Link | None:
    for kind in kinds:
        for block in reply.blocks:
            if isinstance(block, Links):
                for link in block.items:
                    if link.kind is kind:
                        return link
    return None


def _url_buttons(
    reply: Reply, join_label: str, open_link: OpenLink | None
) -> list[InlineKeyboardButton]:
    """Join in the browser, and open in the app through the /open page."""
    buttons: list[InlineKeyboardButton] = []
    join = _link_of(reply, LinkKind.BROWSER, LinkKind.PAGE)
    app = _link_of(reply, LinkKind.APP)
    for link, label in ((join, join_label), (app, app.label if app else "")):
        url = web_url(link.url, reply, open_link) if link else ""
        if url:
            buttons.append(InlineKeyboardButton(label, url=url))
    return buttons


def keyboard(reply: Reply, open_link: OpenLink | None = None) -> InlineKeyboardMarkup | None:
    """Join as URL buttons (Telegram opens http(s) only), the rest as callbacks."""
    rows: list[list[InlineKeyboardButton]] = []
    callbacks: list[InlineKeyboardButton] = []
    for block in reply.blocks:
        if not isinstance(block, Actions):
            continue
        for action in block.items:
            if action.kind is ActionKind.JOIN:
                rows.extend([button] for button in _url_buttons(reply, action.label, open_link))
            elif action.kind in _CODES:
                button = InlineKeyboardButton(action.label, callback_data=callback_data(action))
                callbacks.append(button)
    # Two callback buttons a row keeps the labels readable on a phone.
    rows.extend(callbacks[i : i + 2] for i in range(0, len(callbacks), 2))
    return InlineKeyboardMarkup(rows) if rows else None
