"""The words of the meeting forms, in English and Russian, and the help topic
each leads to. The command words live in each command's catalogue entry."""

from __future__ import annotations

# Words of the meeting forms, for "help <word>".
MEETING_TOPICS: dict[str, str] = {
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
