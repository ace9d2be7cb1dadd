"""The few sentences the Telegram adapter says itself (the rest come from the
core's catalog): the command menu and answers to buttons."""

from __future__ import annotations

from collections.abc import Mapping

from bot.chat import Lang
from bot.i18n import Translator

TEXTS: Mapping[str, Mapping[Lang, str]] = {
    "telegram.menu.meet": {
        "en": "Schedule or manage a TrueConf meeting",
        "ru": "Запланировать встречу TrueConf или управлять ею",
    },
    "telegram.menu.help": {"en": "How to use the bot", "ru": "Как пользоваться ботом"},
    "telegram.button.expired": {
        "en": "This button no longer works. Try /meet list",
        "ru": "Эта кнопка больше не работает. Попробуйте /meet list",
    },
    "telegram.button.done": {"en": "Done", "ru": "Готово"},
    "telegram.private_failed": {
        "en": "I could not send you a private message. Open a chat with me, "
        "press Start, and try again.",
        "ru": "Не удалось написать вам в личные сообщения. Откройте чат со мной, "
        "нажмите «Старт» и повторите.",
    },
}


def translator(lang: Lang) -> Translator:
    return Translator(lang, TEXTS)
