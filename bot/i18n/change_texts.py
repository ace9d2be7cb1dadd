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
        "ru": "Завершённых: {count}. Показать их: /meet list all",
    },
    "list.mine_more": {
        "en": "…and {count} more; each chat's /meet list shows them.",
        "ru": "…и ещё {count}; их покажет /meet list в каждом чате.",
    },
}
