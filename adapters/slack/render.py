"""The core's neutral ``Reply`` as Slack Block Kit.

Every piece of text from the core (topics, names, error sentences) is escaped
for mrkdwn (``&``, ``<``, ``>``), so a topic cannot ping ``<!channel>`` or
forge a link. Lengths are cut to Block Kit's limits so a long topic never
makes Slack refuse the whole message.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from adapters.http.open_link import OpenLinks
from bot.catalogue import CATALOGUE
from bot.reply import (
    Action,
    ActionKind,
    Actions,
    Capabilities,
    Copyable,
    Fields,
    File,
    Link,
    LinkKind,
    Links,
    Reply,
    Text,
    Title,
    Tone,
)

Block = dict[str, Any]

# Block Kit limits (https://api.slack.com/reference/block-kit/blocks).
HEADER_MAX = 150
SECTION_MAX = 3000
FIELD_MAX = 2000
BUTTON_TEXT_MAX = 75
BUTTON_URL_MAX = 3000
ACTIONS_MAX = 25
FIELDS_MAX = 10
BLOCKS_MAX = 50
CONTEXT_MAX = 10

# action_id of a command's button: this and the command's name (unique in a block);
# the value is the button token.
ACTION_PREFIX = "meet_press_"


def escape(text: str) -> str:
    """Slack's three control characters, as its formatting reference asks."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _mrkdwn(text: str) -> dict[str, str]:
    return {"type": "mrkdwn", "text": text}


def _plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": cut(text, limit) or " ", "emoji": False}


@dataclass(frozen=True)
class SlackMessage:
    """What ``chat.postMessage``/``respond`` take: blocks and the notification text."""

    blocks: list[Block]
    text: str


class BlockRenderer:
    """Renders replies; ``open_links`` turns app deeplinks into https buttons."""

    def __init__(self, open_links: OpenLinks | None = None) -> None:
        self._open_links = open_links

    @property
    def opens_app_links(self) -> bool:
        return self._open_links is not None

    @property
    def capabilities(self) -> Capabilities:
        """What Slack messages show: ephemeral answers, buttons, forms; no file
        uploads in a message (an installation with files:write and im:write
        gets files in the person's DM: ``adapters/slack/files.py``); an app link is a button only
        through the signed /open page."""
        return Capabilities(
            custom_scheme_links=self.opens_app_links,
            ephemeral=True,
            buttons=True,
            modals=True,
            file_upload=False,
            edits=True,  # chat.update
        )

    def render(self, reply: Reply) -> SlackMessage:
        blocks: list[Block] = []
        browser = _browser_url(reply)
        for block in reply.blocks:
            match block:
                case Title(text):
                    blocks.append({"type": "header", "text": _plain(text, HEADER_MAX)})
                case Text(text, tone):
                    blocks.append(_text(text, tone))
                case Fields(items):
                    fields = [
                        _mrkdwn(cut(f"*{escape(f.label)}*\n{escape(f.value)}", FIELD_MAX))
                        for f in items[:FIELDS_MAX]
                    ]
                    blocks.append({"type": "section", "fields": fields})
                case Links(items):
                    buttons = [b for link in items if (b := self._link_button(link, browser))]
                    if buttons:
                        blocks.append({"type": "actions", "elements": buttons[:ACTIONS_MAX]})
                case Copyable(label, values):
                    blocks.append(_copyable(label, values))
                case File(name=name, fallback_url=url) if url.startswith(("https://", "http://")):
                    # Uploads cannot be ephemeral in Slack: the file's own link instead.
                    button = {
                        "type": "button",
                        "text": _plain(name, BUTTON_TEXT_MAX),
                        "url": url,
                        "action_id": "meet_link_file",
                    }
                    blocks.append({"type": "actions", "elements": [button]})
                case Actions(items):
                    buttons = [b for a in items if (b := _action_button(a))]
                    if buttons:
                        blocks.append({"type": "actions", "elements": buttons[:ACTIONS_MAX]})
        text = cut(escape(reply.plain_text()), SECTION_MAX) or " "
        return SlackMessage(unique_action_ids(blocks[:BLOCKS_MAX]), text)

    def _link_button(self, link: Link, browser: str) -> Block | None:
        url = link.url
        if link.kind in (LinkKind.APP, LinkKind.ANDROID):
            if self._open_links is None:
                return None  # not clickable in Slack; the card shows it to copy instead
            url = self._open_links.url_for(link.url, browser, link.about)
        if not url.startswith(("https://", "http://")) or len(url) > BUTTON_URL_MAX:
            return None
        button: Block = {
            "type": "button",
            "text": _plain(link.label, BUTTON_TEXT_MAX),
            "url": url,
            "action_id": f"meet_link_{link.kind.value}",
        }
        if link.kind in (LinkKind.BROWSER, LinkKind.GUEST):
            button["style"] = "primary"
        return button


def unique_action_ids(blocks: list[Block]) -> list[Block]:
    """Slack refuses a message (``invalid_blocks``) whose block repeats an
    action_id: three calendar links are three ``meet_link_calendar`` buttons.
    A repeat gets ``.2``, ``.3``… across the whole message, so it is unique in
    its block and its view; the listeners match the stem."""
    seen: set[str] = set()
    for block in blocks:
        for element in block.get("elements", ()):
            action_id = element.get("action_id")
            if action_id is None:
                continue
            unique, n = action_id, 1
            while unique in seen:
                n += 1
                unique = f"{action_id}.{n}"
            element["action_id"] = unique
            seen.add(unique)
    return blocks


def _browser_url(reply: Reply) -> str:
    for block in reply.blocks:
        if isinstance(block, Links):
            for link in block.items:
                if link.kind in (LinkKind.BROWSER, LinkKind.GUEST):
                    return link.url
    return ""


def _text(text: str, tone: Tone) -> Block:
    if tone is Tone.MUTED:
        return {"type": "context", "elements": [_mrkdwn(cut(escape(text), SECTION_MAX))]}
    prefix = ":warning: " if tone is Tone.ERROR else ""
    return {"type": "section", "text": _mrkdwn(cut(prefix + escape(text), SECTION_MAX))}


def _copyable(label: str, values: tuple[str, ...]) -> Block:
    # Backticks would end the code span early; nothing the server sends has them.
    shown = " ".join(f"`{escape(v).replace('`', 'ˋ')}`" for v in values)
    text = f"*{escape(label)}:* {shown}" if label else shown
    return {"type": "context", "elements": [_mrkdwn(cut(text, SECTION_MAX))]}


def _action_button(action: Action) -> Block | None:
    if action.kind is ActionKind.JOIN:
        # The join button is the browser link; the Links block already has it.
        return None
    if action.command is None:
        return None
    token = CATALOGUE.token(action.command)
    button: Block = {
        "type": "button",
        "text": _plain(action.label, BUTTON_TEXT_MAX),
        "action_id": ACTION_PREFIX + CATALOGUE.of(action.command).name,
        "value": token,
    }
    if action.confirm:
        button["style"] = "danger"
        button["confirm"] = {
            "title": _plain(action.label, 100),
            "text": _plain(action.label + "?", 300),
            "confirm": _plain(action.label, 30),
            "deny": _plain("✕", 30),
        }
    return button
