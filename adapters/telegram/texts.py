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
    "telegram.not_allowed": {
        "en": "This chat may not use this bot. Its id is {chat_id}: whoever runs the bridge "
        "can add it to TELEGRAM_ALLOWED_CHATS. Nothing was done, and I will stay quiet here.",
        "ru": "Этому чату нельзя пользоваться ботом. Его id — {chat_id}: тот, кто управляет "
        "мостом, может добавить его в TELEGRAM_ALLOWED_CHATS. Ничего не сделано, больше "
        "я здесь отвечать не буду.",
    },
    "telegram.private_failed": {
        "en": "I could not send you a private message. Open a chat with me, "
        "press Start, and try again.",
        "ru": "Не удалось написать вам в личные сообщения. Откройте чат со мной, "
        "нажмите «Старт» и повторите.",
    },
}


def translator(lang: Lang) -> Translator:
    return Translator(lang, TEXTS)
