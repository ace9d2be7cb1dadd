"""Button tokens: a command as at most 64 bytes of text, and back.

``m2:<code>[:<arg>…]``: the format's version, the command's button code (from
its catalogue entry) and its arguments, e.g. ``m2:cal:12``. Telegram allows 64
bytes of callback data; Slack's values are longer, but one format serves every
messenger. Anyone can send any data: only well-formed tokens are read.

Buttons of the previous release, ``m1:<code>:<meeting>[:<person>]``, live on in
chats' old messages; they are read for one more release.
"""

from __future__ import annotations

import re

VERSION = "m2"
MAX_TOKEN = 64
_ARG = re.compile(r"[A-Za-z0-9_]{1,24}")
_TOKEN = re.compile(r"m2:([a-z]{1,8})((?::[A-Za-z0-9_]{1,24}){0,4})")
_OLD = re.compile(r"m1:([a-z]{1,8}):(\d{1,18})(?::([0-9]{1,20}))?")
# The one old code whose meeting number meant nothing: approving a person.
_OLD_PERSON_CODE = "ok"


def encode(code: str, args: tuple[str, ...]) -> str:
    """The token; ``ValueError`` for arguments no button can carry."""
    if any(_ARG.fullmatch(arg) is None for arg in args):
        raise ValueError(f"button arguments must be short plain words: {args!r}")
    token = ":".join((VERSION, code, *args))
    if _TOKEN.fullmatch(token) is None or len(token.encode()) > MAX_TOKEN:
        raise ValueError(f"not a button token of at most {MAX_TOKEN} bytes: {token!r}")
    return token


def decode(data: str | None) -> tuple[str, tuple[str, ...]] | None:
    """The code and arguments a token carries; ``None`` for data the bridge did not make."""
    data = data or ""
    # Tokens are ASCII; anything else (a lone surrogate cannot even be
    # encoded to count its bytes) is not one of ours.
    if not data.isascii() or len(data) > MAX_TOKEN:
        return None
    if match := _TOKEN.fullmatch(data):
        return match[1], tuple(match[2].split(":")[1:])
    if match := _OLD.fullmatch(data):
        if match[1] == _OLD_PERSON_CODE:
            return (match[1], (match[3],)) if match[3] else None
        return (match[1], (match[2],)) if match[3] is None else None
    return None
