"""Catalog entries: meeting cards, confirmations and the service's own errors."""

from __future__ import annotations

from collections.abc import Mapping

from bot.chat import Lang

TEXTS: Mapping[str, Mapping[Lang, str]] = {
    # units and days
    "unit.minutes": {"en": "{minutes} min", "ru": "{minutes} мин"},
    "unit.hours": {"en": "{hours} h", "ru": "{hours} ч"},
    "unit.hours_minutes": {"en": "{hours} h {minutes} min", "ru": "{hours} ч {minutes} мин"},
    "unit.days.one": {"en": "{count} day", "ru": "{count} день"},
    "unit.days.few": {"en": "{count} days", "ru": "{count} дня"},
    "unit.days.many": {"en": "{count} days", "ru": "{count} дней"},
    "unit.days.other": {"en": "{count} days", "ru": "{count} дня"},
    "days.daily": {"en": "every day", "ru": "каждый день"},
    "days.weekdays": {"en": "weekdays", "ru": "по будням"},
    "day.monday": {"en": "Mon", "ru": "пн"},
    "day.tuesday": {"en": "Tue", "ru": "вт"},
    "day.wednesday": {"en": "Wed", "ru": "ср"},
    "day.thursday": {"en": "Thu", "ru": "чт"},
    "day.friday": {"en": "Fri", "ru": "пт"},
    "day.saturday": {"en": "Sat", "ru": "сб"},
    "day.sunday": {"en": "Sun", "ru": "вс"},
    "schedule.weekly_rule": {
        "en": "weekly, {days} at {time} ({zone})",
        "ru": "еженедельно, {days} в {time} ({zone})",
    },
    # the meeting card
    "card.default_topic": {"en": "Meeting", "ru": "Встреча"},
    "card.created": {"en": "Meeting #{id} scheduled", "ru": "Встреча #{id} запланирована"},
    "card.started": {"en": "Meeting #{id} is on now", "ru": "Встреча #{id} уже идёт"},
    "card.title": {"en": "{topic}", "ru": "{topic}"},
    "card.when": {"en": "When", "ru": "Когда"},
    "card.started_at": {"en": "started {when}", "ru": "начата {when}"},
    "card.next": {"en": "{rule}; next: {next}", "ru": "{rule}; ближайшая: {next}"},
    # A weekly meeting set in another zone than the reader's: the clock it keeps.
    "card.kept_in": {
        "en": "{text} — always {days} at {time} in {zone}",
        "ru": "{text} — всегда {days} в {time} по поясу {zone}",
    },
    "card.past": {"en": "{when} (past)", "ru": "{when} (прошла)"},
    "card.begun_early": {
        "en": "{when}, started early: {since}",
        "ru": "{when}, начата раньше: {since}",
    },
    "card.duration": {"en": "Duration", "ru": "Длительность"},
    "card.conference_id": {"en": "Conference ID", "ru": "ID конференции"},
    "card.backend": {"en": "Server", "ru": "Сервер"},
    "card.invited": {"en": "Invited", "ru": "Приглашены"},
    "card.nobody": {"en": "nobody yet", "ru": "пока никого"},
    "card.unmapped": {"en": "Not on the server", "ru": "Нет на сервере"},
    "card.unmapped_hint": {
        "en": "{names}: no TrueConf account found. Once they run /meet link <trueconf login>, "
        "invite them again; or they can join as guests: /meet guest {id}",
        "ru": "{names}: учётная запись TrueConf не найдена. Когда они выполнят "
        "/meet связать <логин TrueConf>, пригласите их снова; или они могут войти "
        "гостем: /meet гость {id}",
    },
    "card.page": {"en": "Conference page", "ru": "Страница конференции"},
    "card.browser": {"en": "Join in browser", "ru": "Войти из браузера"},
    "card.view_only": {
        "en": "Watch only (view mode)",
        "ru": "Только смотреть (режим зрителя)",
    },
    "card.app": {"en": "Open in TrueConf app", "ru": "Открыть в приложении TrueConf"},
    "card.android": {"en": "Android app", "ru": "Приложение для Android"},
    "card.sip": {"en": "SIP", "ru": "SIP"},
    "card.sip_external": {"en": "SIP (external)", "ru": "SIP (внешний)"},
    "card.h323": {"en": "H.323", "ru": "H.323"},
    "card.action.join": {"en": "Join", "ru": "Войти"},
    "card.action.calendar": {"en": "Add to calendar", "ru": "В календарь"},
    "card.action.guest": {"en": "Guest link", "ru": "Гостевая ссылка"},
    "card.action.cancel": {"en": "Cancel", "ru": "Отменить"},
    "card.action.start": {"en": "Start now", "ru": "Начать сейчас"},
    "card.pin": {
        "en": "PIN for meeting #{id}: {pin} (only you see this)",
        "ru": "PIN встречи #{id}: {pin} (видите только вы)",
    },
    "card.dst_drift": {
        "en": "TrueConf keeps weekly times in the server's zone ({server_zone}), whose clock "
        "changes differ from yours: before the meeting of {date} the bridge will move the "
        "server's rule (and again at each change after), so the meeting keeps its time; the "
        "chat will be told.",
        "ru": "TrueConf хранит время еженедельных встреч в поясе сервера ({server_zone}), "
        "а переход на летнее время там не совпадает с вашим: перед встречей {date} мост "
        "перенесёт правило на сервере (и так при каждом переводе часов), чтобы встреча шла "
        "в своё время; в чате об этом сообщат.",
    },
    "card.zone_mismatch": {
        "en": "The server reports UTC{server_offset} but TRUECONF_SERVER_TIMEZONE={zone} "
        "means UTC{expected_offset}: weekly times on the server may be off. "
        "Ask the admin to run `meetbridge doctor`.",
        "ru": "Сервер сообщает смещение UTC{server_offset}, а TRUECONF_SERVER_TIMEZONE={zone} "
        "означает UTC{expected_offset}: время еженедельных встреч на сервере может "
        "не совпадать. Попросите администратора запустить `meetbridge doctor`.",
    },
    # list / info
    "list.title": {"en": "Meetings in this chat", "ru": "Встречи в этом чате"},
    "list.mine_title": {"en": "Your upcoming meetings", "ru": "Ваши ближайшие встречи"},
    "list.mine_empty": {
        "en": "You have no upcoming meetings. Create one: /meet tomorrow 15:00 Design review",
        "ru": "Ближайших встреч нет. Создайте: /meet завтра 15:00 Обзор",
    },
    "list.empty": {
        "en": "No meetings scheduled here. Create one: /meet tomorrow 15:00 Design review",
        "ru": "Здесь нет запланированных встреч. Создайте: /meet завтра 15:00 Обзор",
    },
    "list.item": {
        "en": "#{id} {topic} — {when} · {state} · {backend}",
        "ru": "#{id} {topic} — {when} · {state} · {backend}",
    },
    # lifecycle
    "cancel.done": {
        "en": "Meeting #{id} “{topic}” cancelled.",
        "ru": "Встреча #{id} «{topic}» отменена.",
    },
    "rename.done": {
        "en": "Meeting #{id} “{old}” is now “{topic}”.",
        "ru": "Встреча #{id} «{old}» теперь называется «{topic}».",
    },
    "start.done": {
        "en": "Meeting #{id} “{topic}” started.",
        "ru": "Встреча #{id} «{topic}» запущена.",
    },
    "stop.done": {
        "en": "Meeting #{id} “{topic}” stopped.",
        "ru": "Встреча #{id} «{topic}» остановлена.",
    },
    "invite.done": {"en": "Invited to #{id}: {names}", "ru": "Приглашены на #{id}: {names}"},
    "question.gone": {
        "en": "That question was answered already, or has expired: type the line you want.",
        "ru": "На этот вопрос уже ответили, или он устарел: введите нужную команду.",
    },
    "invite.not_found": {
        "en": (
            "Nobody found on the server for {names}: not invited to #{id}. Once they run "
            "/meet link <trueconf login>, invite them again; or they can join as guests: "
            "/meet guest {id}"
        ),
        "ru": (
            "На сервере не найдены {names}: не приглашены на #{id}. Когда они выполнят "
            "/meet связать <логин TrueConf>, пригласите их снова; или они могут войти "
            "гостем: /meet гость {id}"
        ),
    },
    "invite.called": {
        "en": "The meeting is running: they are being called now.",
        "ru": "Встреча идёт: им уже звонят.",
    },
    "invite.failed": {
        "en": "Not invited to #{id}: {names}. {reason}",
        "ru": "Не приглашены на #{id}: {names}. {reason}",
    },
    "invite.already": {
        "en": "Already invited to #{id}: {names}",
        "ru": "Уже приглашены на #{id}: {names}",
    },
    # Named at creation or in invite, someone whose login owns the conference:
    # the server has them on it as its owner, so nobody is invited.
    "invite.owner": {
        "en": "{names}: the conference's owner, on #{id} already; not added to its invitations.",
        "ru": "{names}: владелец конференции, уже участвует в #{id}; в приглашённые не добавлен.",
    },
    "uninvite.done": {"en": "Removed from #{id}: {names}", "ru": "Убраны из #{id}: {names}"},
    # One line per person: "Not invited" alone read as what the command did.
    "uninvite.not_invited": {
        "en": "{name}: not on #{id}'s invitations, nothing changed.",
        "ru": "{name}: нет в приглашённых на #{id}, ничего не изменилось.",
    },
    "guest.title": {
        "en": "Guest link for #{id} (valid for one minute: open it now)",
        "ru": "Гостевая ссылка на #{id} (действует минуту: откройте сразу)",
    },
    "guest.title_lasting": {
        "en": "Guest link for #{id} (anyone with it can join: share it with care)",
        "ru": "Гостевая ссылка на #{id} (войти по ней может любой: делитесь с осторожностью)",
    },
    "guest.default_name": {"en": "Guest", "ru": "Гость"},
    "guest.not_offered": {
        "en": "Meeting #{id} is on {backend}, which gives no guest links.",
        "ru": "Встреча #{id} идёт на сервере {backend}, а он не выдаёт гостевых ссылок.",
    },
    # accounts and preferences
    "link.done_self": {
        "en": "You are now linked to TrueConf user {login}.",
        "ru": "Вы связаны с пользователем TrueConf {login}.",
    },
    "link.done_other": {
        "en": "{who} is now linked to TrueConf user {login}.",
        "ru": "{who} теперь связан(а) с пользователем TrueConf {login}.",
    },
    "link.pending": {
        "en": "{who} would like to be linked to TrueConf user {login}. A bridge admin "
        "approves it with the button below (or /meet link @name).",
        "ru": "{who} просит связать его с пользователем TrueConf {login}. Администратор "
        "бота подтверждает это кнопкой ниже (или /meet связать @имя).",
    },
    "link.pending_private": {
        "en": "Your request to be linked to TrueConf user {login} waits for a bridge admin.",
        "ru": "Ваша просьба связать вас с пользователем TrueConf {login} ждёт администратора бота.",
    },
    "link.approve": {"en": "Approve", "ru": "Подтвердить"},
    "link.nothing_pending": {
        "en": "{who} has not asked for a link. Give the login: /meet link @name <login>",
        "ru": "{who} не просил(а) о связи. Укажите логин: /meet связать @имя <логин>",
    },
    "calendar.title": {
        "en": "Add #{id} “{topic}” to your calendar",
        "ru": "Добавить #{id} «{topic}» в календарь",
    },
    "calendar.google": {"en": "Google Calendar", "ru": "Google Календарь"},
    "calendar.outlook": {"en": "Outlook.com", "ru": "Outlook.com"},
    "calendar.outlook_office": {"en": "Outlook (Microsoft 365)", "ru": "Outlook (Microsoft 365)"},
    "calendar.subscribe": {
        "en": "Subscribe (stays up to date)",
        "ru": "Подписаться (обновляется само)",
    },
    "calendar.needs_public_url": {
        "en": "A calendar file link needs the bridge's public address (PUBLIC_URL and "
        "LINK_SECRET); ask the bridge's administrator. The links above work without it.",
        "ru": "Для ссылки на файл календаря мосту нужен публичный адрес (PUBLIC_URL и "
        "LINK_SECRET); обратитесь к администратору моста. Ссылки выше работают и без него.",
    },
    "calendar.ics": {"en": "Calendar file (.ics)", "ru": "Файл календаря (.ics)"},
    "link.unknown_login": {
        "en": "There is no TrueConf user {login} on the server. Check the login and try again.",
        "ru": "На сервере нет пользователя TrueConf {login}. Проверьте логин и повторите.",
    },
    "unlink.done_self": {
        "en": "Your link to TrueConf is removed.",
        "ru": "Ваша связь с TrueConf удалена.",
    },
    "unlink.done_other": {
        "en": "{who}: link to TrueConf removed.",
        "ru": "{who}: связь с TrueConf удалена.",
    },
    "unlink.none_self": {"en": "You were not linked.", "ru": "Вы не были связаны."},
    "unlink.none_other": {"en": "{who} was not linked.", "ru": "{who}: связи не было."},
    "link.no_directory": {
        "en": "No conference server here has user accounts, so there is nothing to link to.",
        "ru": "Ни у одного сервера конференций здесь нет учётных записей — связывать не с чем.",
    },
    "chat_backend.done": {
        "en": "New meetings in this chat go to {name}. Meetings made before stay where they are.",
        "ru": "Новые встречи этого чата создаются на {name}. Прежние встречи остаются на своём "
        "сервере.",
    },
    "chat_backend.current": {
        "en": "New meetings in this chat go to {name}. Servers here: {names}.",
        "ru": "Новые встречи этого чата создаются на {name}. Серверы здесь: {names}.",
    },
    "tz.done": {"en": "Time zone of this chat: {zone}.", "ru": "Часовой пояс этого чата: {zone}."},
    "lang.done": {"en": "Language of this chat: English.", "ru": "Язык этого чата: русский."},
    # the service's own errors
    "error.meeting_not_found": {
        "en": "There is no meeting {ref} in this chat. See them with /meet list",
        "ru": "В этом чате нет встречи {ref}. Список: /meet список",
    },
    "error.cancelled": {
        "en": "Meeting #{id} is already cancelled.",
        "ru": "Встреча #{id} уже отменена.",
    },
    "error.was_cancelled": {
        "en": "Meeting #{id} was cancelled.",
        "ru": "Встреча #{id} была отменена.",
    },
    "error.not_allowed": {
        "en": "Only the person who created meeting #{id} or an admin can change it.",
        "ru": "Изменить встречу #{id} может только её создатель или администратор.",
    },
    "error.link_others_admin_only": {
        "en": "Only a bridge admin can link or unlink other people, or approve a request.",
        "ru": "Связывать и отвязывать других и подтверждать просьбы может только "
        "администратор бота.",
    },
    "error.too_many_people": {
        "en": "{count} people in one command is too many: name at most {limit}, "
        "and add more with /meet invite <id> @name.",
        "ru": "{count} человек в одной команде — слишком много: укажите не больше {limit}, "
        "остальных добавьте через /meet пригласить <id> @имя.",
    },
    "error.no_owner": {
        "en": "Nobody to own the conference: link yourself with /meet link <trueconf login>, "
        "or ask the admin to set TRUECONF_OWNER.",
        "ru": "Некому владеть конференцией: выполните /meet связать <логин TrueConf> "
        "или попросите администратора задать TRUECONF_OWNER.",
    },
    "error.instant_has_no_calendar": {
        "en": "An instant meeting has no calendar entry.",
        "ru": "У мгновенной встречи нет записи в календаре.",
    },
    "error.backend_missing": {
        "en": "The server {name} is not configured here. Servers here: {names}. "
        "Choose one with /meet backend <name>.",
        "ru": "Сервер {name} здесь не настроен. Серверы здесь: {names}. "
        "Выберите командой /meet сервер <имя>.",
    },
    "error.unreadable_text": {
        "en": "Part of your message could not be read (a broken character, number {position}). "
        "Type it again without pasting, or leave that part out.",
        "ru": "Часть сообщения не удалось прочитать (испорченный символ, номер {position}). "
        "Наберите его заново, не вставляя, или уберите эту часть.",
    },
    "error.internal": {
        "en": "Something went wrong on our side; it has been logged. Please try again.",
        "ru": "У нас что-то пошло не так; ошибка записана в журнал. Попробуйте ещё раз.",
    },
    "error.storage_after_create": {
        "en": "The conference was created but could not be saved, so it was removed again. "
        "Please try again.",
        "ru": "Конференция создана, но сохранить её не удалось, поэтому она удалена. "
        "Попробуйте ещё раз.",
    },
}
