"""Command words in English and Russian, and the help topic each word belongs to."""

from __future__ import annotations

# Management commands: alias -> canonical command name.
COMMANDS: dict[str, str] = {
    **dict.fromkeys(("list", "ls", "список", "встречи"), "list"),
    **dict.fromkeys(("info", "show", "инфо", "информация", "показать"), "info"),
    **dict.fromkeys(("cancel", "delete", "отмена", "отменить", "удалить"), "cancel"),
    **dict.fromkeys(("start", "run", "старт", "запустить", "начать"), "start"),
    **dict.fromkeys(("stop", "end", "стоп", "остановить", "завершить"), "stop"),
    **dict.fromkeys(("invite", "add", "пригласить", "позвать", "добавить"), "invite"),
    **dict.fromkeys(("uninvite", "remove", "убрать", "исключить"), "uninvite"),
    **dict.fromkeys(("guest", "гость"), "guest"),
    **dict.fromkeys(("calendar", "ics", "календарь"), "calendar"),
    **dict.fromkeys(("link", "связать", "привязать"), "link"),
    **dict.fromkeys(("unlink", "отвязать"), "unlink"),
    **dict.fromkeys(("tz", "timezone", "zone", "пояс", "зона"), "tz"),
    **dict.fromkeys(("lang", "language", "язык"), "lang"),
    **dict.fromkeys(
        ("remind", "reminders", "reminder", "напомнить", "напоминания", "напоминание"), "remind"
    ),
    **dict.fromkeys(("backend", "server", "сервер", "бэкенд"), "backend"),
    **dict.fromkeys(("help", "?", "помощь", "справка"), "help"),
}

# Words of the meeting forms, for "help <word>".
_MEETING_TOPICS: dict[str, str] = {
    **dict.fromkeys(("now", "сейчас"), "now"),
    **dict.fromkeys(
        (
            "once",
            "разово",
            "однажды",
            "today",
            "tomorrow",
            "сегодня",
            "завтра",
            "at",
            "in",
            "через",
            "date",
            "time",
            "дата",
            "время",
        ),
        "once",
    ),
    **dict.fromkeys(
        ("weekly", "еженедельно", "daily", "ежедневно", "weekdays", "будни", "every", "каждый"),
        "weekly",
    ),
    **dict.fromkeys(("duration", "for", "длительность", "на"), "duration"),
}

HELP_TOPICS: dict[str, str] = {**COMMANDS, **_MEETING_TOPICS}
