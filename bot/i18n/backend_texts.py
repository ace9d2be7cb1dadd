"""Catalog entries: backend.

One sentence per core reason a conference server (or the way to it) can
refuse or fail with (``bot.errors.Refusal``), keyed ``backend.<value>``; the
adapters map their servers' own reasons to these. ``backend.credentials``
takes ``{settings}`` (those that fix it); ``backend.unknown``, for
``Refusal.OTHER``, takes ``{reason}`` (the server's own word).
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.chat import Lang

TEXTS: Mapping[str, Mapping[Lang, str]] = {
    "backend.not_found": {
        "en": "The server has no such conference. It may have been deleted; check the id.",
        "ru": "На сервере нет такой конференции. Возможно, её удалили — проверьте номер.",
    },
    "backend.no_such_user": {
        "en": "The server has no such user. Check the login, or ask them to link their account.",
        "ru": "На сервере нет такого пользователя. Проверьте логин или попросите его "
        "привязать свою учётную запись.",
    },
    "backend.conference_limit": {
        "en": "The server's licence allows no more conferences. Delete an old one or ask "
        "the administrator.",
        "ru": "Лицензия сервера не позволяет создать ещё одну конференцию. Удалите старую "
        "или обратитесь к администратору.",
    },
    "backend.running_limit": {
        "en": "Too many conferences are running right now. Stop one or try again later.",
        "ru": "Сейчас идёт слишком много конференций. Остановите одну или попробуйте позже.",
    },
    "backend.invitation_limit": {
        "en": "The conference is full: it cannot take more invitations. Remove someone or "
        "raise the participant limit.",
        "ru": "В конференции нет мест: больше приглашений добавить нельзя. Уберите кого-нибудь "
        "или увеличьте лимит участников.",
    },
    "backend.guest_limit": {
        "en": "The guest limit has been reached, so no more guests can join.",
        "ru": "Достигнут лимит гостей: новые гости подключиться не смогут.",
    },
    "backend.running": {
        "en": "The conference is running and cannot be changed now. Stop it first.",
        "ru": "Конференция идёт, и изменить её сейчас нельзя. Сначала остановите её.",
    },
    "backend.locked_while_running": {
        "en": "This can't be changed while the conference is running. Try again after it ends.",
        "ru": "Это нельзя изменить во время конференции. Попробуйте после её окончания.",
    },
    "backend.finished": {
        "en": "The conference has already finished. Schedule a new one.",
        "ru": "Конференция уже закончилась. Запланируйте новую.",
    },
    "backend.not_running": {
        "en": "The conference is not running now: nothing was changed.",
        "ru": "Конференция сейчас не идёт: ничего не изменено.",
    },
    "backend.person_unavailable": {
        "en": "That person can't be called right now: they are offline or busy.",
        "ru": "Сейчас до этого человека не дозвониться: он не в сети или занят.",
    },
    "backend.already_in": {
        "en": "That person is already in the conference.",
        "ru": "Этот человек уже в конференции.",
    },
    "backend.owner_not_invited": {
        "en": "The server requires the conference owner among the invitees, and the owner "
        "was missing. Try again; if it repeats, tell the administrator.",
        "ru": "Сервер требует, чтобы владелец конференции был среди приглашённых, а его там "
        "не оказалось. Попробуйте ещё раз; если повторится, сообщите администратору.",
    },
    "backend.forbidden": {
        "en": "The server refused: the bridge's account lacks the rights for this.",
        "ru": "Сервер отказал: у учётной записи бота нет прав на это действие.",
    },
    "backend.credentials": {
        "en": "The server rejected the bridge's credentials. The administrator should check "
        "{settings}.",
        "ru": "Сервер не принял учётные данные бота. Администратору стоит проверить {settings}.",
    },
    "backend.access_refused": {
        "en": "The server keeps rejecting the bridge's access token. Try again in a minute; "
        "if it repeats, tell the administrator.",
        "ru": "Сервер не принимает токен доступа бота. Попробуйте через минуту; если "
        "повторится, сообщите администратору.",
    },
    "backend.timeout": {
        "en": "The conference server did not answer in time. Try again in a minute.",
        "ru": "Сервер конференций не ответил вовремя. Попробуйте через минуту.",
    },
    "backend.unreachable": {
        "en": "The conference server can't be reached. Try again later or tell the administrator.",
        "ru": "Сервер конференций недоступен. Попробуйте позже или сообщите администратору.",
    },
    "backend.unavailable": {
        "en": "The conference server is temporarily unavailable. Try again in a few minutes.",
        "ru": "Сервер конференций временно недоступен. Попробуйте через несколько минут.",
    },
    "backend.server_error": {
        "en": "The conference server failed to handle the request. Try again later.",
        "ru": "Сервер конференций не смог обработать запрос. Попробуйте позже.",
    },
    "backend.invalid_response": {
        "en": "The conference server sent an answer the bridge doesn't understand. "
        "Tell the administrator.",
        "ru": "Сервер конференций прислал непонятный боту ответ. Сообщите администратору.",
    },
    "backend.invalid_request": {
        "en": "The server rejected the request as invalid. Check the meeting details and "
        "try again.",
        "ru": "Сервер отклонил запрос как некорректный. Проверьте параметры встречи и "
        "попробуйте ещё раз.",
    },
    "backend.missing_field": {
        "en": "The server says a required detail is missing. Check the meeting details and "
        "try again.",
        "ru": "Сервер сообщает, что не хватает обязательного параметра. Проверьте параметры "
        "встречи и попробуйте ещё раз.",
    },
    "backend.join_options_licence": {
        "en": "The server's licence does not allow these ways of joining. Ask the administrator.",
        "ru": "Лицензия сервера не разрешает такие способы подключения. "
        "Обратитесь к администратору.",
    },
    "backend.join_options_multicast": {
        "en": "These ways of joining are not available while UDP multicast is on. "
        "Ask the administrator.",
        "ru": "Эти способы подключения недоступны при включённом UDP multicast. "
        "Обратитесь к администратору.",
    },
    "backend.join_options_mcu": {
        "en": "The ways of joining cannot be changed in MCU mode. Ask the administrator.",
        "ru": "В режиме MCU способы подключения менять нельзя. Обратитесь к администратору.",
    },
    "backend.mcu_multicast": {
        "en": "MCU mode cannot be used while UDP multicast is on. Ask the administrator.",
        "ru": "Режим MCU нельзя включить вместе с UDP multicast. Обратитесь к администратору.",
    },
    "backend.session_not_found": {
        "en": "That conference session is over or never started.",
        "ru": "Этот сеанс конференции уже завершён или не начинался.",
    },
    "backend.participant_not_found": {
        "en": "That person is not in the conference.",
        "ru": "Этого участника нет в конференции.",
    },
    "backend.user_limit": {
        "en": "The server has reached its maximum number of users. Ask the administrator.",
        "ru": "На сервере достигнуто максимальное число пользователей. "
        "Обратитесь к администратору.",
    },
    "backend.banned": {
        "en": "The server has blocked the bridge's account. Tell the administrator.",
        "ru": "Сервер заблокировал учётную запись бота. Сообщите администратору.",
    },
    "backend.unknown": {
        "en": "The conference server refused the request ({reason}). Try again or tell "
        "the administrator.",
        "ru": "Сервер конференций отклонил запрос ({reason}). Попробуйте ещё раз или сообщите "
        "администратору.",
    },
}
