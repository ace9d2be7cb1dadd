"""The sandbox's objects as the API writes them (envelopes, chats), and the
checks of what the bot sends (message content, buttons).

Read from ``python-trueconf-bot`` 1.5.4 (its parsers are the reference);
where the library does not pin a detail down, the choice is marked GUESS.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from adapters.trueconf_chat.sandbox.state import (
    ATTACHMENT,
    MAX_TEXT,
    PLAIN_MESSAGE,
    ChatSandboxState,
    SandboxError,
    StoredMessage,
)

PARSE_MODES = frozenset({"text", "markdown", "html"})
URL_SCHEMES = frozenset({"http", "https", "mailto", "trueconf"})
BUTTON_TYPES = frozenset({"command", "url", "message", "copy"})
_ACTION_FIELD = {"command": "command", "url": "url", "message": "message", "copy": "data"}
MAX_ROWS = MAX_WIDTH = 8
MAX_BUTTONS = 64


def chat_of(state: ChatSandboxState, chat_id: str) -> dict[str, Any]:
    chat = state.chats[chat_id]
    return {"chatId": chat.id, "chatTitle": chat.title, "chatType": chat.type}


def envelope(state: ChatSandboxState, message: StoredMessage) -> dict[str, Any]:
    """A message as ``sendMessage`` pushes it and the history returns it."""
    content: dict[str, Any]
    if message.file is not None:
        kind = ATTACHMENT
        content = {
            "name": message.file.name,
            "size": len(message.file.content),
            "fileId": message.file.id,
            "mimeType": message.file.mime_type,
            "readyState": 2,  # GUESS: "ready"
        }
    else:
        kind = PLAIN_MESSAGE
        content = {"text": message.text, "parseMode": message.parse_mode}
        if message.buttons:
            content["buttons"] = [list(row) for row in message.buttons]
    return {
        "chat": chat_of(state, message.chat_id),
        "chatId": message.chat_id,
        "timestamp": message.timestamp,
        "type": kind,
        "author": {"id": state.user_id(message.author), "type": 1},
        # GUESS: the box is the message's place in its chat.
        "box": {"id": int(message.id.rsplit("-", 1)[1]), "position": message.id},
        "content": content,
        "messageId": message.id,
        "isEdited": message.edited,
        "replyMessageId": message.reply_to,
    }


def _text(content: Any) -> tuple[str, str]:
    if not isinstance(content, dict):
        raise SandboxError(399, "content must be an object")
    text, mode = content.get("text"), content.get("parseMode", "text")
    if not isinstance(text, str) or not text.strip():
        raise SandboxError(399, "content.text must be a non-empty string")
    if len(text) > MAX_TEXT:
        raise SandboxError(399, f"content.text is longer than {MAX_TEXT}")
    if mode not in PARSE_MODES:
        raise SandboxError(399, f"parseMode must be one of {sorted(PARSE_MODES)}")
    return text, str(mode)


def _button(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise SandboxError(399, "a button must be an object")
    kind = raw.get("type")
    if kind not in BUTTON_TYPES:
        raise SandboxError(399, f"button type must be one of {sorted(BUTTON_TYPES)}")
    actions = [name for name, key in _ACTION_FIELD.items() if raw.get(key) is not None]
    if actions != [kind]:
        raise SandboxError(399, "a button carries exactly the action its type names")
    label = raw.get("label")
    if (kind != "url" or label is not None) and (
        not isinstance(label, str) or not 1 <= len(label) <= 32
    ):
        raise SandboxError(399, "a button label is 1 to 32 characters")
    value = raw[_ACTION_FIELD[kind]]
    if not isinstance(value, str) or (kind in ("command", "url") and not value.isascii()):
        raise SandboxError(399, f"button {kind} must be an ASCII string")
    if kind == "url" and (
        urlsplit(value).scheme.lower() not in URL_SCHEMES or not 8 <= len(value) <= 8095
    ):
        raise SandboxError(399, f"button url scheme must be one of {sorted(URL_SCHEMES)}")
    if kind == "command" and not 1 <= len(value) <= 255:
        raise SandboxError(399, "a button command is 1 to 255 characters")
    return dict(raw)


def buttons(content: dict[str, Any]) -> tuple[tuple[dict[str, Any], ...], ...]:
    raw = content.get("buttons")
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(row, list) for row in raw):
        raise SandboxError(399, "buttons must be rows of buttons")
    if len(raw) > MAX_ROWS or any(len(row) > MAX_WIDTH for row in raw):
        raise SandboxError(399, f"at most {MAX_ROWS} rows of {MAX_WIDTH} buttons")
    if sum(len(row) for row in raw) > MAX_BUTTONS:
        raise SandboxError(399, f"at most {MAX_BUTTONS} buttons")
    return tuple(tuple(_button(b) for b in row) for row in raw)


def message_content(content: Any) -> tuple[str, str, tuple[tuple[dict[str, Any], ...], ...]]:
    text, mode = _text(content)
    return text, mode, buttons(content)
