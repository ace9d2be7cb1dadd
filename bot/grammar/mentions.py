"""Mentions: typed ``@alice`` and Slack's resolved ``<@U123ABC>`` /
``<@U123ABC|alice>``, merged with the mentions the messenger already resolved."""

from __future__ import annotations

import re

from bot.chat import Mention
from bot.grammar import keys
from bot.grammar.errors import GrammarError
from bot.grammar.tokens import Token

_HANDLE = re.compile(r"@([\w.\-]+)")
_SLACK = re.compile(r"<@([A-Za-z0-9_.\-]+)(?:\|([^<>|]*))?>")
# Longer than any Slack id, Telegram username or TrueConf login (1..64).
MAX_HANDLE = 64
# Punctuation that ends a sentence rather than a handle: "invite @bob, @eve."
_TRAILING = ",;:!?.)"


def parse_mention(token: Token, example: str, line: str = "") -> Mention:
    """``line``: the one ``token`` was read from, to offer it put right."""
    text = token.text
    mention: Mention | None = None
    if match := _SLACK.fullmatch(text):
        user_id, name = match[1], (match[2] or "").strip()
        mention = Mention(handle=name or user_id, user_id=user_id)
    elif match := _HANDLE.fullmatch(text.rstrip(_TRAILING)):
        mention = Mention(handle=match[1])
    if (
        mention is None
        or len(mention.handle) > MAX_HANDLE
        or len(mention.user_id or "") > MAX_HANDLE
    ):
        shown = text if len(text) <= MAX_HANDLE else text[:MAX_HANDLE] + "…"
        raise GrammarError(
            keys.BAD_MENTION, example, word=shown, suggestion=_commas_split(token, line)
        )
    return mention


def _commas_split(token: Token, line: str) -> str:
    """``line`` with mentions joined by commas ("@alice,@bob") set apart by
    spaces, as "@alice, @bob" already reads; "" for anything else."""
    parts = token.text.rstrip(_TRAILING).split(",")
    if not line or len(parts) < 2 or not all(_HANDLE.fullmatch(part) for part in parts):
        return ""
    return f"{line[: token.start]}{' '.join(parts)}{line[token.end :]}"


def merge_mentions(
    typed: list[Mention], resolved: tuple[Mention, ...], *, append_rest: bool = True
) -> tuple[Mention, ...]:
    """Typed mentions enriched from the messenger's resolved ones, deduplicated in order.

    A resolved mention replaces the typed one with the same ``user_id`` (or, for a
    plain ``@handle``, the same handle): it carries the e-mail. Resolved mentions
    the text does not show (Telegram's name-only mentions) follow at the end.
    """
    used: set[int] = set()
    merged: list[Mention] = []
    for mention in typed:
        index = _match(mention, resolved)
        if index is not None:
            used.add(index)
        merged.append(mention if index is None else resolved[index])
    if append_rest:
        merged.extend(m for i, m in enumerate(resolved) if i not in used)
    return _dedupe(merged)


def _match(mention: Mention, resolved: tuple[Mention, ...]) -> int | None:
    for index, candidate in enumerate(resolved):
        if mention.user_id is not None and candidate.user_id == mention.user_id:
            return index
    if mention.user_id is None:
        for index, candidate in enumerate(resolved):
            if candidate.handle.lower() == mention.handle.lower():
                return index
    return None


def _dedupe(mentions: list[Mention]) -> tuple[Mention, ...]:
    seen: set[str] = set()
    unique: list[Mention] = []
    for mention in mentions:
        key = f"id:{mention.user_id}" if mention.user_id else f"@{mention.handle.lower()}"
        if key not in seen:
            seen.add(key)
            unique.append(mention)
    return tuple(unique)
