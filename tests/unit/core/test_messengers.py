"""The registry of messengers says which platforms this process can post to
now, and tells whoever watches when that changes."""

from __future__ import annotations

from dataclasses import dataclass

from bot.chat import ChatRef
from bot.messengers import Messengers
from bot.reply import Capabilities, Reply

CAPABILITIES = Capabilities()


@dataclass
class Stub:
    platform: str
    deliverable: bool
    capabilities: Capabilities = CAPABILITIES

    async def send(self, chat: ChatRef, reply: Reply) -> None:
        raise AssertionError("not sent in these tests")

    async def edit(self, chat: ChatRef, message_id: str, reply: Reply) -> None:
        raise AssertionError("not edited in these tests")


def test_only_deliverable_messengers_are_posted_to_and_a_change_is_told() -> None:
    messengers = Messengers()
    told: list[frozenset[str]] = []
    messengers.watch(lambda: told.append(messengers.deliverable))
    messengers.register(Stub("slack", deliverable=True))
    messengers.register(Stub("trueconf_chat", deliverable=False))  # another process holds it
    assert messengers.platforms == {"slack", "trueconf_chat"}
    assert messengers.deliverable == {"slack"}
    messengers.register(Stub("trueconf_chat", deliverable=True))  # taken over
    messengers.unregister("slack")
    assert told == [{"slack"}, {"slack"}, {"slack", "trueconf_chat"}, {"trueconf_chat"}]


def test_a_watcher_that_stopped_watching_is_not_told() -> None:
    messengers = Messengers()
    told: list[str] = []

    def watcher() -> None:
        told.append("changed")

    messengers.watch(watcher)
    messengers.unwatch(watcher)
    messengers.unwatch(watcher)  # twice: nothing to remove
    messengers.register(Stub("slack", deliverable=True))
    assert told == []
