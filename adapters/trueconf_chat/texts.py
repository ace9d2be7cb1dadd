"""The few sentences the TrueConf chat adapter says itself (the rest come
from the core's catalog)."""

from __future__ import annotations

from collections.abc import Mapping

from bot.chat import Lang
from bot.i18n import Translator

TEXTS: Mapping[str, Mapping[Lang, str]] = {
    "trueconf_chat.link_not_needed": {
        "en": "Nothing to link here: in TrueConf chat you are your TrueConf account "
        "({login}), and the meetings you create are yours.",
        "ru": "Здесь ничего связывать не нужно: в чате TrueConf вы — это ваша учётная "
        "запись TrueConf ({login}), и созданные вами встречи принадлежат вам.",
    },
    "trueconf_chat.more_in_private": {
        "en": "Guest link, cancel and the rest: type /meet guest {id} or /meet cancel {id} "
        "here; what is for you alone comes to your personal chat with me.",
        "ru": "Гостевая ссылка, отмена и остальное: наберите здесь /meet гость {id} или "
        "/meet отменить {id}; то, что только для вас, придёт в ваш личный чат со мной.",
    },
    "trueconf_chat.press_in_private": {
        "en": "A button pressed in a group does not say who pressed it, so this one does "
        "nothing here: type its command in this chat instead (such as /meet guest <id>); "
        "what is for you alone comes to your personal chat with me.",
        "ru": "Нажатие кнопки в группе не сообщает, кто её нажал, поэтому здесь эта кнопка "
        "ничего не делает: наберите её команду в этом чате (например, /meet гость <id>); "
        "то, что только для вас, придёт в ваш личный чат со мной.",
    },
    "trueconf_chat.other_server": {
        "en": "This bot serves the accounts of {server}. Yours is of another server, so "
        "nothing was done, and I will stay quiet.",
        "ru": "Этот бот обслуживает учётные записи сервера {server}. Ваша — с другого "
        "сервера, поэтому ничего не сделано, и больше я отвечать не буду.",
    },
    "trueconf_chat.not_allowed": {
        "en": "This chat may not use this bot. Its id is {chat_id}: whoever runs the bridge "
        "can add it to TRUECONF_CHATBOT_ALLOWED_CHATS. Nothing was done, and I will stay "
        "quiet here.",
        "ru": "Этому чату нельзя пользоваться ботом. Его id — {chat_id}: тот, кто управляет "
        "мостом, может добавить его в TRUECONF_CHATBOT_ALLOWED_CHATS. Ничего не сделано, "
        "больше я здесь отвечать не буду.",
    },
    "trueconf_chat.confirm_link": {
        "en": "{who} on {where} asks to use your TrueConf account ({login}) for meetings: "
        "the meetings they create will be yours. Confirm only if that is you or someone "
        "you trust. This question is good for {minutes} minutes.",
        "ru": "{who} в {where} просит разрешения пользоваться вашей учётной записью "
        "TrueConf ({login}) для встреч: созданные им встречи будут вашими. Подтвердите, "
        "только если это вы или тот, кому вы доверяете. Вопрос действует {minutes} минут.",
    },
    "trueconf_chat.confirm": {"en": "Confirm", "ru": "Подтвердить"},
    "trueconf_chat.refuse": {"en": "Refuse", "ru": "Отказать"},
    "trueconf_chat.confirmed": {
        "en": "Done: {who} now uses your account {login} for meetings.",
        "ru": "Готово: {who} теперь пользуется вашей учётной записью {login} для встреч.",
    },
    "trueconf_chat.refused": {
        "en": "Refused: {who} does not use your account {login}.",
        "ru": "Отказано: {who} не будет пользоваться вашей учётной записью {login}.",
    },
    "trueconf_chat.confirm_expired": {
        "en": "This question is no longer open: it is answered once, within ten minutes.",
        "ru": "Этот вопрос уже закрыт: на него отвечают один раз, в течение десяти минут.",
    },
    "trueconf_chat.asked": {
        "en": "The TrueConf user {login} was also asked in TrueConf chat: their Confirm "
        "links you at once (within ten minutes), no admin needed.",
        "ru": "Пользователя TrueConf {login} также спросили в чате TrueConf: его "
        "подтверждение свяжет вас сразу (в течение десяти минут), без администратора.",
    },
    "trueconf_chat.link_confirmed": {
        "en": "{login} confirmed in TrueConf chat: you are linked to the TrueConf account {login}.",
        "ru": "{login} подтвердил в чате TrueConf: вы связаны с учётной записью TrueConf {login}.",
    },
    "trueconf_chat.link_refused": {
        "en": "{login} refused in TrueConf chat: you are not linked to {login}.",
        "ru": "{login} отказал в чате TrueConf: вы не связаны с {login}.",
    },
    "trueconf_chat.plain_text": {
        "en": "Commands to me start with /meet. Did you mean this?",
        "ru": "Команды мне начинаются с /meet. Может быть, вы имели в виду это?",
    },
    "trueconf_chat.plain_text_help": {
        "en": "Commands to me start with /meet. To see what I can do, send:",
        "ru": "Команды мне начинаются с /meet. Чтобы узнать, что я умею, отправьте:",
    },
    "trueconf_chat.button_expired": {
        "en": "This button no longer works. Try /meet list",
        "ru": "Эта кнопка больше не работает. Попробуйте /meet list",
    },
}


def translator(lang: Lang) -> Translator:
    return Translator(lang, TEXTS)
