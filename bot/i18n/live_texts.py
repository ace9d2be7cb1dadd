"""Catalog entries: the live card's state line, the summary after a meeting,
and the note about a meeting left running with nobody in."""

from __future__ import annotations

from collections.abc import Mapping

from bot.chat import Lang

TEXTS: Mapping[str, Mapping[Lang, str]] = {
    "live.scheduled": {"en": "● Scheduled", "ru": "● Запланирована"},
    "live.running_empty": {
        "en": "▶ Running now, nobody in yet",
        "ru": "▶ Идёт сейчас, пока никого нет",
    },
    "live.running": {
        "en": "▶ Running now: {count} in — {who}",
        "ru": "▶ Идёт сейчас: {count} — {who}",
    },
    "live.ended": {"en": "■ Ended", "ru": "■ Завершилась"},
    "live.headline_ended": {"en": "Meeting #{id} is over", "ru": "Встреча #{id} окончена"},
    "live.guest": {"en": "1 guest", "ru": "гостей: 1"},
    "live.guests": {"en": "{count} guests", "ru": "гостей: {count}"},
    "summary.title": {
        "en": "Meeting #{id} “{topic}” has ended",
        "ru": "Встреча #{id} «{topic}» завершилась",
    },
    "summary.started": {"en": "Started", "ru": "Началась"},
    "summary.duration": {"en": "Lasted", "ru": "Длилась"},
    "summary.joined": {"en": "Joined", "ru": "Участвовали"},
    "summary.nobody": {"en": "nobody", "ru": "никто"},
    "summary.recording": {"en": "Recording", "ru": "Запись"},
    "summary.recording_private": {
        "en": "{name} (kept on the server: ask your admin for it)",
        "ru": "{name} (хранится на сервере: попросите её у администратора)",
    },
    "idle.note": {
        "en": (
            "Meeting #{id} “{topic}” has been running with nobody in for {minutes} min. "
            "Its creator or a chat admin can stop it."
        ),
        "ru": (
            "Встреча #{id} «{topic}» идёт уже {minutes} мин, а в ней никого нет. "
            "Её создатель или администратор чата может её остановить."
        ),
    },
    "card.action.stop": {"en": "Stop", "ru": "Остановить"},
}
