"""The few sentences the Telegram adapter says itself (the rest come from the
core's catalog): the command menu, answers to buttons, the hint to a plain
line in a private chat."""

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
    "telegram.private_waiting": {
        "en": "That answer is for you alone, and I cannot write to you first. Open {link} "
        "and press Start to get it (within {minutes} minutes, once).",
        "ru": "Этот ответ только для вас, а написать вам первым я не могу. Откройте {link} "
        "и нажмите «Старт», чтобы получить его (в течение {minutes} минут, один раз).",
    },
    "telegram.nothing_waiting": {
        "en": "Nothing is waiting for you under this link: it works once, for the person "
        "it was meant for, for a few minutes. Type /meet help to start.",
        "ru": "По этой ссылке для вас ничего нет: она срабатывает один раз, для того, "
        "кому предназначена, в течение нескольких минут. Наберите /meet help.",
    },
    "telegram.plain_text": {
        "en": "Commands to me start with /meet. Did you mean this?",
        "ru": "Команды мне начинаются с /meet. Может быть, вы имели в виду это?",
    },
    "telegram.plain_text_help": {
        "en": "Commands to me start with /meet. To see what I can do, send:",
        "ru": "Команды мне начинаются с /meet. Чтобы узнать, что я умею, отправьте:",
    },
    "telegram.private_withheld": {
        "en": "That answer is for one person, and a post on behalf of a chat has no private "
        "chat with me: send the command from your own account to get it.",
        "ru": "Этот ответ для одного человека, а у сообщения от имени чата нет личного чата "
        "со мной: отправьте команду от своего имени, чтобы получить его.",
    },
}


def translator(lang: Lang) -> Translator:
    return Translator(lang, TEXTS)
