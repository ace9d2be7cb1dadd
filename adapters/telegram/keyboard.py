"""Inline keyboards for replies: join and open-in-app as URL buttons, every
other action as a callback button whose data is the catalogue's button token
(at most 64 bytes, which is Telegram's limit on callback data)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from adapters.telegram.render import OpenLink, web_url
from bot.catalogue import CATALOGUE
from bot.reply import ActionKind, Actions, Link, LinkKind, Links, Reply


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
        url = web_url(link.url, reply, open_link, link.about) if link else ""
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
            elif action.command is not None:
                token = CATALOGUE.token(action.command)
                callbacks.append(InlineKeyboardButton(action.label, callback_data=token))
    # Two callback buttons a row keeps the labels readable on a phone.
    rows.extend(callbacks[i : i + 2] for i in range(0, len(callbacks), 2))
    return InlineKeyboardMarkup(rows) if rows else None
