"""The messengers the bridge can post to on its own (reminders), by platform."""

from __future__ import annotations

from bot.chat import ChatRef, Platform
from bot.errors import DeliveryError
from bot.ports import Messenger


class Messengers:
    """Adapters register their ``Messenger`` when they start; the reminder
    dispatcher looks one up per chat. One registry per app, never global."""

    def __init__(self) -> None:
        self._by_platform: dict[Platform, Messenger] = {}

    def register(self, messenger: Messenger) -> None:
        self._by_platform[messenger.platform] = messenger

    def unregister(self, platform: Platform) -> None:
        self._by_platform.pop(platform, None)

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
