"""Catalog entries: the reminder message and the ``remind`` command's replies."""

from __future__ import annotations

from collections.abc import Mapping

from bot.chat import Lang

# The remind command's grammar: problems, example, help (joined to the grammar's table).
GRAMMAR: Mapping[str, Mapping[Lang, str]] = {
    "grammar.missing_offsets": {
        "en": "After “{word}” say when to remind: offsets before the start like 10m,1h,1d, or off.",
        "ru": (
            "После «{word}» укажите, когда напомнить: за сколько до начала, "
            "например 10м,1ч,1д, или off."
        ),
    },
    "grammar.bad_offset": {
        "en": "“{word}” is not a reminder offset; use minutes, hours or days like 10m, 1h, 1d.",
        "ru": "«{word}» — не срок напоминания; укажите минуты, часы или дни: 10м, 1ч, 1д.",
    },
    "grammar.offset_out_of_range": {
        "en": "A reminder can be 1 minute to 30 days before the start, not “{word}”.",
        "ru": "Напоминание возможно за 1 минуту — 30 дней до начала, а не «{word}».",
    },
    "grammar.too_many_offsets": {
        "en": "At most {limit} reminders per meeting, and “{word}” has more.",
        "ru": "Не больше {limit} напоминаний на встречу, а в «{word}» их больше.",
    },
    "grammar.example.remind": {"en": "/meet remind 12 10m,1h", "ru": "/meet напомнить 12 10м,1ч"},
    "grammar.example.remind_default": {
        "en": "/meet remind default 10m,1h",
        "ru": "/meet напомнить по умолчанию 10м,1ч",
    },
    "grammar.example.remind_id": {
        "en": "/meet remind {id} 10m,1h",
        "ru": "/meet напомнить {id} 10м,1ч",
    },
    "help.remind": {
        "en": (
            "/meet remind <id> 10m,1h,1d — remind the chat that long before each start "
            "(weekly meetings: before every one).\n"
            "/meet remind <id> off — no reminders for this meeting.\n"
            "/meet remind default 10m | off — what new meetings of this chat get.\n"
            "Example: /meet remind 12 10m,1h"
        ),
        "ru": (
            "/meet напомнить <id> 10м,1ч,1д — напомнить в чате за столько до каждого начала "
            "(у еженедельных — перед каждой встречей).\n"
            "/meet напомнить <id> выкл — без напоминаний для этой встречи.\n"
            "/meet напомнить по умолчанию 10м | выкл — что получают новые встречи этого чата.\n"
            "Пример: /meet напомнить 12 10м,1ч"
        ),
    },
}

TEXTS: Mapping[str, Mapping[Lang, str]] = {
    "reminder.soon": {
        "en": "Reminder: #{id} starts in {minutes} min",
        "ru": "Напоминание: #{id} начнётся через {minutes} мин",
    },
    "reminder.begun": {
        "en": "Reminder: #{id} has already begun, ahead of its time",
        "ru": "Напоминание: #{id} уже идёт, раньше назначенного времени",
    },
    "reminder.now": {
        "en": "Reminder: #{id} starts now",
        "ru": "Напоминание: #{id} начинается сейчас",
    },
    "reminder.late": {
        "en": "(sent late: the bridge was not running when this reminder was due)",
        "ru": "(отправлено с опозданием: мост не работал, когда пришло время напоминания)",
    },
    "reminder.next": {"en": "Next reminder", "ru": "Ближайшее напоминание"},
    "reminder.none": {"en": "no reminders", "ru": "без напоминаний"},
    "reminder.list_suffix": {"en": "reminder {when}", "ru": "напоминание {when}"},
    # Counted (Translator.plural): English needs one and other, Russian one
    # (1, 21), few (2, 22) and many (5, 11); the English few and many are
    # its other, for every language's form to be found.
    "reminder.count.one": {"en": "{count} reminder", "ru": "{count} напоминание"},
    "reminder.count.few": {"en": "{count} reminders", "ru": "{count} напоминания"},
    "reminder.count.many": {"en": "{count} reminders", "ru": "{count} напоминаний"},
    "reminder.count.other": {"en": "{count} reminders", "ru": "{count} напоминания"},
    "remind.set": {
        "en": "Meeting #{id} “{topic}”: {reminders} — {offsets} before the start.",
        "ru": "Встреча #{id} «{topic}»: {reminders} — за {offsets} до начала.",
    },
    "remind.off": {
        "en": "Meeting #{id} “{topic}”: reminders off.",
        "ru": "Встреча #{id} «{topic}»: напоминания отключены.",
    },
    "remind.instant": {
        "en": "Meeting #{id} has already started: there is nothing to remind.",
        "ru": "Встреча #{id} уже идёт: напоминать не о чем.",
    },
    "remind.default_set": {
        "en": "New meetings in this chat get {reminders} — {offsets} before the start.",
        "ru": "Новые встречи в этом чате получат {reminders} — за {offsets} до начала.",
    },
    "remind.default_off": {
        "en": "New meetings in this chat get no reminders.",
        "ru": "Новые встречи в этом чате будут без напоминаний.",
    },
    # The server's weekly rule moved at a change of the clocks (one zone's, not the other's).
    "correct.done": {
        "en": (
            "{creator}, meeting #{id} “{topic}”: the clocks of {server_zone} (the TrueConf "
            "server's zone) and {zone} changed on different dates, so the bridge moved the "
            "server's rule from {old} to {new}. The meeting stays {rule}; next: {next}."
        ),
        "ru": (
            "{creator}, встреча #{id} «{topic}»: часы в {server_zone} (поясе сервера TrueConf) "
            "и в {zone} переводятся в разные дни, поэтому мост перенёс правило на сервере "
            "с «{old}» на «{new}». Встреча остаётся {rule}; ближайшая: {next}."
        ),
    },
}
