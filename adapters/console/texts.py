"""The console's own words (the rest come from the core's catalogue), and the
language a console chat speaks."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from bot.chat import ChatRef, Lang
from bot.i18n import Translator
from bot.ports import UnitOfWorkFactory

TEXTS: Mapping[str, Mapping[Lang, str]] = {
    "console.private": {"en": "(only you see this)", "ru": "(видите только вы)"},
}

# The language of a chat: its ``/meet lang``, else the bridge's default.
LangOf = Callable[[ChatRef], Awaitable[Lang]]


def translator(lang: Lang) -> Translator:
    return Translator(lang, TEXTS)


def chat_lang(uow: UnitOfWorkFactory, default: Lang) -> LangOf:
    async def lang_of(chat: ChatRef) -> Lang:
        async with uow(transaction=False) as work:
            settings = await work.chat_settings.get(chat)
        return settings.lang or default

    return lang_of
