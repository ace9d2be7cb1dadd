"""Merges the per-area message tables and looks sentences up by key.

Each area (grammar, replies, backend errors) keeps its own table of
``key -> {"en": ..., "ru": ...}``; placeholders use ``str.format`` names.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.chat import Lang
from bot.i18n import (
    backend_texts,
    change_texts,
    grammar_texts,
    live_texts,
    reminder_texts,
    reply_texts,
    trust_texts,
)
from bot.i18n.plural import plural_form

Table = Mapping[str, Mapping[Lang, str]]


def _merge(*tables: Table) -> dict[str, Mapping[Lang, str]]:
    merged: dict[str, Mapping[Lang, str]] = {}
    for table in tables:
        for key, texts in table.items():
            if key in merged:
                raise ValueError(f"message key defined twice: {key}")
            merged[key] = texts
    return merged


CATALOG: Mapping[str, Mapping[Lang, str]] = _merge(
    grammar_texts.TEXTS,
    reply_texts.TEXTS,
    backend_texts.TEXTS,
    reminder_texts.TEXTS,
    trust_texts.TEXTS,
    change_texts.TEXTS,
    live_texts.TEXTS,
)


class Translator:
    """Looks sentences up in one language; falls back to English, then to the key."""

    def __init__(self, lang: Lang, catalog: Mapping[str, Mapping[Lang, str]] = CATALOG) -> None:
        self.lang: Lang = lang
        self._catalog = catalog

    def has(self, key: str) -> bool:
        return key in self._catalog

    def __call__(self, key: str, /, **params: object) -> str:
        texts = self._catalog.get(key)
        if texts is None:
            return key
        template = texts.get(self.lang) or texts["en"]
        return template.format(**params) if params else template

    def plural(self, key: str, count: int, /, **params: object) -> str:
        """The sentence ``key.<form>`` for ``count`` (``{count}`` in it), the
        form by the language's rules: ``reminder.count.one``, ``.few``, …"""
        return self(f"{key}.{plural_form(self.lang, count)}", count=count, **params)
