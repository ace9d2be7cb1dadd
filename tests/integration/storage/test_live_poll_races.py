"""Two polls of one live card at once, on both databases: a poll slow in its
card's edit is overtaken by the next turn (after half a poll's wait), which
reads the record before the slow one has written it. The slow poll's older
record must not be written over the newer poll's (the people it saw come in);
no sleeps: the slow poll is held in its edit until the other is done."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.chat import ChatRef, Platform, UserRef
from bot.clock import FrozenClock
from bot.commands import CommandInput
from bot.live.book import card_posted
from bot.live.model import Activity, CallLog, LiveConfig, Participant, Recording
from bot.live.poller import LivePoller
from bot.messengers import Messengers
from bot.ports import ChatSettings
from bot.reply import Capabilities, Reply
from bot.service import CommandService
from storage.uow import SqlUnitOfWorkFactory
from tests.fakes import FakeBackend, fake_deps
from tests.unit.core.conftest import NOW

pytestmark = pytest.mark.timeout(60)

CONFIG = LiveConfig(poll=timedelta(seconds=30), idle=timedelta(minutes=30))
ALICE, BOB = Participant("Alice Archer"), Participant("Bob Baker")


@dataclass
class Server:
    now: Activity = field(default_factory=lambda: Activity(True))

    async def present(self, conference_id: str) -> Activity:
        return self.now

    async def calls(self, conference_id: str, since: datetime) -> Sequence[CallLog]:
        return []

    async def recordings(self, conference_id: str) -> Sequence[Recording]:
        return []


@dataclass
class SlowMessenger:
    """Once ``hold`` is set, the next edit waits for ``resume`` (``inside`` set)."""

    hold: bool = False
    inside: asyncio.Event = field(default_factory=asyncio.Event)
    resume: asyncio.Event = field(default_factory=asyncio.Event)
    deliverable = True

    @property
    def platform(self) -> Platform:
        return "console"

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(buttons=True, edits=True)

    async def send(self, chat: ChatRef, reply: Reply) -> None:
        pass

    async def edit(self, chat: ChatRef, message_id: str, reply: Reply) -> None:
        if self.hold:
            self.hold = False
            self.inside.set()
            await self.resume.wait()


async def test_a_slow_poll_keeps_what_a_later_poll_saw(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    server = Server()
    backend = FakeBackend("trueconf")
    backend.activity = server
    clock = FrozenClock(NOW)
    factory = SqlUnitOfWorkFactory(session_factory, clock=clock)
    deps = replace(fake_deps(backend, [], NOW), uow=factory, clock=clock, live=CONFIG)
    chat = ChatRef("console", "local", "room")
    user = UserRef("console", "local", "helen", "helen")
    reply = await CommandService(deps).handle(
        CommandInput(text="now Sync", chat=chat, user=user), Capabilities(buttons=True, edits=True)
    )
    assert reply.card_of is not None, reply.plain_text()
    meeting_id = reply.card_of
    await card_posted(factory, reply, "m1")
    messenger = SlowMessenger()
    messengers = Messengers()
    messengers.register(messenger)
    poller = LivePoller(deps, messengers)
    async with factory() as uow:
        meeting = await uow.meetings.get(meeting_id)
    assert meeting is not None

    server.now = Activity(True, (ALICE,))
    messenger.hold = True
    slow = asyncio.ensure_future(poller.poll(meeting, NOW, ChatSettings(), NOW))
    await asyncio.wait_for(messenger.inside.wait(), 20)
    server.now = Activity(True, (ALICE, BOB))
    later = NOW + CONFIG.poll / 2 + timedelta(seconds=1)
    await poller.poll(meeting, NOW, ChatSettings(), later)
    messenger.resume.set()
    await asyncio.wait_for(slow, 20)

    async with factory() as uow:
        record = await uow.live.get(meeting_id)
    assert record is not None
    assert {p.name for p in record.seen} == {"Alice Archer", "Bob Baker"}
    assert record.shown is not None
    assert record.shown.count == 2
