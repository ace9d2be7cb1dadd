"""The messengers the bridge can post to on its own (reminders), by platform."""

from __future__ import annotations

from collections.abc import Callable

from bot.chat import ChatRef, Platform
from bot.errors import DeliveryError
from bot.ports import Messenger


class Messengers:
    """Adapters register their ``Messenger`` when they start (and again when
    what it can do changes); the reminder dispatcher looks one up per chat.
    One registry per app, never global."""

    def __init__(self) -> None:
        self._by_platform: dict[Platform, Messenger] = {}
        self._watchers: list[Callable[[], None]] = []

    def register(self, messenger: Messenger) -> None:
        self._by_platform[messenger.platform] = messenger
        self._changed()

    def unregister(self, platform: Platform) -> None:
        self._by_platform.pop(platform, None)
        self._changed()

    def watch(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` after each change: a platform that became
        deliverable here has rows to claim now."""
        self._watchers.append(callback)

    def unwatch(self, callback: Callable[[], None]) -> None:
        if callback in self._watchers:
            self._watchers.remove(callback)

    def _changed(self) -> None:
        for callback in self._watchers:
            callback()

    def for_chat(self, chat: ChatRef) -> Messenger:
        messenger = self._by_platform.get(chat.platform)
        if messenger is None:
            # Nothing serves this platform in this process (e.g. Telegram not
            # configured any more): retrying here cannot help.
            raise DeliveryError(f"no {chat.platform} messenger is configured", permanent=True)
        return messenger

    @property
    def platforms(self) -> frozenset[Platform]:
        return frozenset(self._by_platform)

    @property
    def deliverable(self) -> frozenset[Platform]:
        """The platforms this process can post to now: the ledger rows of
        other platforms' chats are not claimed here."""
        return frozenset(p for p, m in self._by_platform.items() if m.deliverable)
