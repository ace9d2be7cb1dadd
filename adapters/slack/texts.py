"""The few words the Slack adapter says itself (the modal, the acknowledgement);
everything else comes from the core's catalog."""

from __future__ import annotations

from bot.chat import Lang

_TEXTS: dict[str, dict[Lang, str]] = {
    "working": {"en": "Working on it…", "ru": "Выполняю…"},
    "busy": {
        "en": "Too many commands at once: nothing was done. Please send it again in a minute.",
        "ru": "Сейчас слишком много команд: ничего не сделано. Отправьте её через минуту.",
    },
    "not_done": {
        "en": "meetbridge was restarting, so this was not done. Please send it again.",
        "ru": "meetbridge перезапускался, поэтому это не сделано. Отправьте ещё раз.",
    },
    "slow": {
        "en": "meetbridge is slow to take commands right now. Yours will be answered "
        "once it is taken, or you will be told that nothing was done: "
        "no need to send it again.",
        "ru": "meetbridge сейчас медленно принимает команды. Ответ на вашу придёт, "
        "как только она будет принята, или придёт сообщение, что ничего не сделано: "
        "отправлять её снова не нужно.",
    },
    "unavailable": {
        "en": "meetbridge cannot take commands right now: nothing was done. "
        "Please send it again in a minute.",
        "ru": "meetbridge сейчас не может принять команду: ничего не сделано. "
        "Отправьте её через минуту.",
    },
    "expired": {
        "en": "meetbridge could not get to this within 30 minutes, so it was not done. "
        "Please send it again.",
        "ru": "meetbridge не успел выполнить это за 30 минут, поэтому это не сделано. "
        "Отправьте ещё раз.",
    },
    "failed": {
        "en": "meetbridge could not finish this: nothing more will be done. "
        "Check `/meet list` before sending it again.",
        "ru": "meetbridge не смог это выполнить: больше ничего не будет сделано. "
        "Проверьте `/meet list`, прежде чем отправлять ещё раз.",
    },
    "channel_not_allowed": {
        "en": "This channel ({channel}) may not use meetbridge: nothing was done. "
        "Its admin can add it to SLACK_ALLOWED_CHANNELS.",
        "ru": "В этом канале ({channel}) meetbridge недоступен: ничего не сделано. "
        "Администратор может добавить его в SLACK_ALLOWED_CHANNELS.",
    },
    "modal.title": {"en": "New meeting", "ru": "Новая встреча"},
    "modal.submit": {"en": "Create", "ru": "Создать"},
    "modal.edit_title": {"en": "Edit meeting", "ru": "Изменить встречу"},
    "modal.save": {"en": "Save", "ru": "Сохранить"},
    "modal.close": {"en": "Cancel", "ru": "Отмена"},
    "modal.topic": {"en": "Topic", "ru": "Тема"},
    "modal.date": {"en": "Date", "ru": "Дата"},
    "modal.time": {"en": "Time", "ru": "Время"},
    "modal.duration": {"en": "Duration", "ru": "Длительность"},
    "modal.repeat": {"en": "Repeat", "ru": "Повтор"},
    "modal.once": {"en": "One time", "ru": "Один раз"},
    "modal.weekly": {"en": "Weekly", "ru": "Еженедельно"},
    "modal.days": {"en": "Days (weekly)", "ru": "Дни (еженедельно)"},
    "modal.invitees": {"en": "Invite", "ru": "Пригласить"},
    "modal.reminders": {"en": "Remind before", "ru": "Напомнить за"},
    "modal.channel": {"en": "Post in", "ru": "Опубликовать в"},
    "modal.when_needed": {"en": "Pick a date and a time.", "ru": "Выберите дату и время."},
    "modal.days_needed": {
        "en": "Pick at least one day for a weekly meeting.",
        "ru": "Выберите хотя бы один день для еженедельной встречи.",
    },
    "modal.other_channel": {
        "en": "This form posts only where it was opened: choose that conversation, "
        "or type /meet in the other one.",
        "ru": "Эта форма публикует только туда, где её открыли: выберите тот разговор "
        "или наберите /meet в другом.",
    },
    "modal.reopen": {
        "en": "This form is out of date: close it and type /meet again.",
        "ru": "Эта форма устарела: закройте её и наберите /meet снова.",
    },
    "home.new": {"en": "New meeting", "ru": "Новая встреча"},
}

DAYS: tuple[tuple[str, dict[Lang, str]], ...] = (
    ("mon", {"en": "Mon", "ru": "Пн"}),
    ("tue", {"en": "Tue", "ru": "Вт"}),
    ("wed", {"en": "Wed", "ru": "Ср"}),
    ("thu", {"en": "Thu", "ru": "Чт"}),
    ("fri", {"en": "Fri", "ru": "Пт"}),
    ("sat", {"en": "Sat", "ru": "Сб"}),
    ("sun", {"en": "Sun", "ru": "Вс"}),
)


def text(key: str, lang: Lang) -> str:
    return _TEXTS[key][lang]
