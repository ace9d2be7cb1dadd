"""Catalog entries of the trust model (``bot.policy``): refusals that say why."""

from __future__ import annotations

from collections.abc import Mapping

from bot.chat import Lang

TEXTS: Mapping[str, Mapping[Lang, str]] = {
    "error.identity_unknown": {
        "en": "I cannot tell who sent this, so it changes nothing. "
        "Send it from your own account (not anonymously or as a channel).",
        "ru": "Не понять, кто это отправил, поэтому ничего не изменено. "
        "Отправьте команду от своего имени (не анонимно и не от имени канала).",
    },
    "error.identity_chat": {
        "en": "This was sent on behalf of a chat, and links and guest links are for "
        "one person: send it from your own account.",
        "ru": "Это отправлено от имени чата, а связи с TrueConf и гостевые ссылки — "
        "для одного человека: отправьте команду от своего имени.",
    },
    "error.link_first": {
        "en": "Only people linked to a TrueConf account create meetings here. "
        "Ask for a link with /meet link <trueconf login>; a bridge admin approves it.",
        "ru": "Создавать встречи здесь могут только связанные с TrueConf. "
        "Попросите связь: /meet связать <логин TrueConf>; её подтвердит администратор бота.",
    },
}
