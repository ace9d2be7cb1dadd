"""Catalog entries: a meeting's state in lists and cards, and its edits."""

from __future__ import annotations

from collections.abc import Mapping

from bot.chat import Lang

TEXTS: Mapping[str, Mapping[Lang, str]] = {
    # where a meeting stands
    "state.scheduled": {"en": "scheduled", "ru": "запланирована"},
    "state.running": {"en": "running", "ru": "идёт"},
    "state.running_in": {"en": "running, {count} in", "ru": "идёт, участников: {count}"},
    "state.ended": {"en": "ended", "ru": "завершена"},
    "list.all_title": {
        "en": "Meetings in this chat, ended ones too",
        "ru": "Встречи в этом чате, включая завершённые",
    },
    "list.ended_hidden": {
        "en": "Ended: {count}. See them with /meet list all",
        "ru": "Завершённых: {count}. Показать их: /meet список все",
    },
    "list.mine_more": {
        "en": "…and {count} more; each chat's /meet list shows them.",
        "ru": "…и ещё {count}; их покажет /meet список в каждом чате.",
    },
    "list.mine_elsewhere": {
        "en": "Meetings of other chats have no buttons here: type their commands "
        "(such as /meet guest <id>) in their own chat.",
        "ru": "У встреч из других чатов здесь нет кнопок: наберите их команды "
        "(например, /meet гость <id>) в их собственном чате.",
    },
    # edit
    "edit.done": {"en": "Meeting #{id} changed", "ru": "Встреча #{id} изменена"},
    "edit.form": {
        "en": "The form of meeting #{id} is open: change what you need and save.",
        "ru": "Форма встречи #{id} открыта: измените нужное и сохраните.",
    },
    "edit.unchanged": {
        "en": "Meeting #{id} already has {what}; nothing changed.",
        "ru": "У встречи #{id} уже {what}; ничего не изменилось.",
    },
    # What an edit that changes nothing asked for, as the meeting already has it.
    "edit.same.schedule": {"en": "the time {value}", "ru": "время {value}"},
    "edit.same.duration": {"en": "the duration {value}", "ru": "длительность {value}"},
    "edit.same.topic": {"en": "the topic “{value}”", "ru": "тема «{value}»"},
    "edit.same.and": {"en": " and ", "ru": " и "},  # a time holds commas itself
    "edit.changed.schedule": {"en": "When: {old} → {new}", "ru": "Когда: {old} → {new}"},
    "edit.changed.duration": {
        "en": "Duration: {old} → {new}",
        "ru": "Длительность: {old} → {new}",
    },
    "edit.changed.topic": {"en": "Topic: “{old}” → “{new}”", "ru": "Тема: «{old}» → «{new}»"},
    "edit.reading_at": {
        "en": "{time}, on the same day (or days)",
        "ru": "{time}, в тот же день (или дни)",
    },
    "edit.none": {"en": "not set", "ru": "не задана"},
    "edit.field.schedule": {"en": "the time", "ru": "время"},
    "edit.field.duration": {"en": "the duration", "ru": "длительность"},
    "edit.field.topic": {"en": "the topic", "ru": "тему"},
    # The lines naming the person's meeting leave its date and time as slots:
    # a copied "/meet edit 1 tomorrow 16:00" moved it to a time never chosen.
    "edit.what": {
        "en": "What should change in #{id}? Give a time, a duration or a topic, e.g. "
        "/meet edit {id} <date> <time>, /meet edit {id} for 45m, "
        '/meet edit {id} "Quarterly review".',
        "ru": "Что изменить во встрече #{id}? Укажите время, длительность или тему, например "
        "/meet изменить {id} <дата> <время>, /meet изменить {id} на 45м, "
        '/meet изменить {id} "Квартальный обзор".',
    },
    "edit.running": {
        "en": "Meeting #{id} is running now: the server does not let {fields} change until "
        "it ends. Nothing was changed; try again after the meeting, or /meet stop {id} first.",
        "ru": "Встреча #{id} сейчас идёт: сервер не даёт менять {fields}, пока она не "
        "закончится. Ничего не изменено; повторите после встречи "
        "или сначала /meet остановить {id}.",
    },
    "edit.instant_time": {
        "en": "Meeting #{id} started at once: it has no start to move. Its topic and "
        "duration can change; a new time is a new meeting (/meet tomorrow 15:00 …).",
        "ru": "Встреча #{id} началась сразу: переносить нечего. Можно изменить тему и "
        "длительность; новое время — это новая встреча (/meet завтра 15:00 …).",
    },
    "edit.weekly_needs_rule": {
        "en": "Meeting #{id} is weekly: give its days and time "
        "(/meet edit {id} weekly <days> <time>) or a new time alone (/meet edit {id} at <time>).",
        "ru": "Встреча #{id} еженедельная: укажите дни и время "
        "(/meet изменить {id} еженедельно <дни> <время>) или только время "
        "(/meet изменить {id} в <время>).",
    },
    "edit.weekly_needs_days": {
        "en": "Meeting #{id} is weekly: a date moves a one-time meeting. To change its "
        "days, name them, the time stays: /meet edit {id} weekly {day}.",
        "ru": "Встреча #{id} еженедельная: дата переносит разовую встречу. Чтобы сменить "
        "дни, назовите их, время останется: /meet изменить {id} еженедельно {day}.",
    },
    "edit.weekly_needs_day_time": {
        "en": "Meeting #{id} is weekly: a date moves a one-time meeting. To change its "
        "days and time, name them: /meet edit {id} weekly {day} {time}.",
        "ru": "Встреча #{id} еженедельная: дата переносит разовую встречу. Чтобы сменить "
        "дни и время, назовите их: /meet изменить {id} еженедельно {day} {time}.",
    },
    "edit.once_needs_date": {
        "en": "Meeting #{id} is a one-time meeting: give a date and time "
        "(/meet edit {id} <date> <time>); a weekly one is made with /meet weekly ….",
        "ru": "Встреча #{id} разовая: укажите дату и время (/meet изменить {id} <дата> <время>); "
        "еженедельную создайте командой /meet еженедельно ….",
    },
    "edit.in_past": {
        "en": "Meeting #{id} cannot move to {when}: that is already past.",
        "ru": "Встречу #{id} нельзя перенести на {when}: это время уже прошло.",
    },
    "edit.nonexistent": {
        "en": "{when} does not exist in {zone} (the clocks skip it). Pick another time.",
        "ru": "Времени {when} в зоне {zone} нет (часы его пропускают). Выберите другое.",
    },
    "edit.not_offered": {
        "en": "Meetings on {backend} cannot be changed (#{id}).",
        "ru": "Встречи на сервере {backend} изменить нельзя (#{id}).",
    },
    "edit.not_stored": {
        "en": "Meeting #{id} could not be saved after the change, so the server was put "
        "back as it was. Nothing changed; please try again.",
        "ru": "Изменение встречи #{id} не удалось сохранить, и сервер возвращён как был. "
        "Ничего не изменено; попробуйте ещё раз.",
    },
}
