"""Slack's escaping of typed text, undone once before the grammar reads it.

Slack sends what people type with ``&``, ``<`` and ``>`` as ``&amp;``,
``&lt;`` and ``&gt;``, so that a bare ``<`` always starts Slack's own markup
(``<@U123|name>``, ``<#C123|general>``, ``<!here>``, ``<mailto:…|…>``,
``<https://…|…>``). Only the text between those marks is decoded, each entity
once, in one pass: ``&amp;lt;`` (a typed ``&lt;``) becomes ``&lt;``, never ``<``.
The markup stays as Slack wrote it, for the grammar and the mention lookup.
"""

from __future__ import annotations

import re

_MARKUP = re.compile(r"(<[^<>]*>)")
_ENTITY = re.compile(r"&(amp|lt|gt);")
_CHARS = {"amp": "&", "lt": "<", "gt": ">"}


def _decode(plain: str) -> str:
    return _ENTITY.sub(lambda match: _CHARS[match[1]], plain)


def decode_text(text: str) -> str:
    """``text`` as the person typed it, Slack's markup kept."""
    parts = _MARKUP.split(text)
    # split() with one group: plain text at even indexes, markup at odd ones.
    return "".join(part if index % 2 else _decode(part) for index, part in enumerate(parts))
