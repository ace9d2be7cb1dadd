"""A claim takes only the rows this process can deliver: the rows for chats
on the platforms it can post to now, and every room action. On real SQLite
and PostgreSQL.

Where a messenger's one connection is held by one process at a time (TrueConf
chat), the others claim none of its chats' rows; the holder's rows are taken
over by the next holder once their lease runs out, as any dead process's."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import pytest
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.reminders import Dispatcher, DispatcherConfig
from bot.chat import ChatRef, Platform
from bot.clock import SystemClock
from bot.errors import DeliveryError
from bot.ports.ledger import ActionKind, ClaimedAction
from bot.reminders.delivery import ActionPerformer, DeliveryPolicy
from bot.reminders.plan import ROOM
from bot.reply import Capabilities, Reply
from storage.claims import SqlClaimStore
from storage.models import MeetingRow, ScheduledActionRow
from storage.uow import SqlUnitOfWorkFactory
from tests.support.reminders import (
    CHAT,
    TopicRecorder,
    core_deps,
    meeting_values,
    messengers_with,
    seed,
    utcnow,
)
from tests.support.waiting import until

pytestmark = pytest.mark.timeout(60)

LEASE = timedelta(seconds=30)
TRUECONF = ChatRef("trueconf_chat", "tc.example", "group-1")
TELEGRAM = ChatRef("telegram", "", "-100")
# A platform no messenger of the bridge is: a row for it is claimed nowhere.
NOWHERE = ChatRef("nowhere", "x", "y")


async def _rows_for(
    sessions: async_sessionmaker[AsyncSession], chat: ChatRef, fire: datetime, now: datetime
) -> dict[ActionKind, int]:
    """A meeting in ``chat`` with a row of each kind due at ``fire``; their ids."""
    start = fire + timedelta(hours=1)
    async with sessions() as session:
        meeting_id = (
            await session.execute(
                insert(MeetingRow)
                .values(meeting_values(f"c-{chat.platform}", "Sync", chat, start, now))
                .returning(MeetingRow.id)
            )
        ).scalar_one()
        ids: dict[ActionKind, int] = {}
        for kind in ActionKind:
            room = kind in {ActionKind.ACTIVATE, ActionKind.DEACTIVATE, ActionKind.CORRECT}
            ids[kind] = (
                await session.execute(
                    insert(ScheduledActionRow)
                    .values(
                        meeting_id=meeting_id,
                        kind=kind.value,
                        occurrence_start=start,
                        offset_seconds=3600,
                        recipient=ROOM if room else chat.key,
                        fire_at=fire,
                        available_at=fire,
                        status="pending",
                        attempts=0,
                        created_at=now,
                    )
                    .returning(ScheduledActionRow.id)
                )
            ).scalar_one()
        await session.commit()
    return ids


ROOM_KINDS = {ActionKind.ACTIVATE, ActionKind.DEACTIVATE}


def _ids(claimed: list[ClaimedAction]) -> set[int]:
    return {a.id for a in claimed}


async def test_a_claim_takes_the_rows_of_the_platforms_it_can_post_to_and_every_room_action(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    now = utcnow()
    due = now - timedelta(seconds=1)
    console = await _rows_for(session_factory, CHAT, due, now)
    trueconf = await _rows_for(session_factory, TRUECONF, due, now)
    telegram = await _rows_for(session_factory, TELEGRAM, due, now)
    store = SqlClaimStore(session_factory)

    # A standby: it posts to the console and Telegram, not to TrueConf chat.
    standby = await store.claim("standby", now, LEASE, 100, {"console", "telegram"})
    rooms = {trueconf[kind] for kind in ROOM_KINDS}
    assert _ids(standby) == {*console.values(), *telegram.values(), *rooms}
    # It does not wake for the rows it leaves: next, only its own leases end.
    assert await store.next_available({"console", "telegram"}) == now + LEASE
    assert await store.claim("standby", now, LEASE, 100, {"console", "telegram"}) == []

    # The holder of the TrueConf chat connection takes the reminder, the
    # live card and the rule correction (whose note goes to the chat).
    assert await store.next_available({"trueconf_chat"}) == due
    holder = await store.claim("holder", now, LEASE, 100, {"trueconf_chat"})
    assert {(a.kind, a.id) for a in holder} == {
        (kind, row) for kind, row in trueconf.items() if kind not in ROOM_KINDS
    }


async def test_a_dead_holders_rows_wait_for_the_next_holder_and_no_one_else(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    now = utcnow()
    rows = await _rows_for(session_factory, TRUECONF, now - timedelta(seconds=1), now)
    store = SqlClaimStore(session_factory)
    held = await store.claim("old-holder", now, LEASE, 100, {"trueconf_chat"})
    assert _ids(held) == set(rows.values())  # its room actions too: any process may

    # It dies: once its leases run out, a process without the connection
    # still takes none of them; the one that took the connection over does.
    later = now + LEASE + timedelta(seconds=1)
    rooms = await store.claim("standby", later, LEASE, 100, {"console"})
    assert {a.kind for a in rooms} == ROOM_KINDS  # the backend's: any process may
    assert await store.next_available({"console"}) == later + LEASE
    taken = await store.claim("new-holder", later, LEASE, 100, {"console", "trueconf_chat"})
    assert {a.kind for a in taken} == {ActionKind.REMIND, ActionKind.LIVE, ActionKind.CORRECT}
    assert all(a.attempts == 2 for a in taken)


async def test_an_empty_set_of_platforms_leaves_every_chat_row(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    now = utcnow()
    rows = await _rows_for(session_factory, CHAT, now - timedelta(seconds=1), now)
    store = SqlClaimStore(session_factory)
    claimed = await store.claim("nothing-to-post-to", now, LEASE, 100, set())
    assert {a.kind for a in claimed} == ROOM_KINDS
    assert _ids(claimed) == {rows[kind] for kind in ROOM_KINDS}


class Standby:
    """A TrueConf chat messenger of a process that does not hold the
    connection: not deliverable, and it refuses whatever it is handed."""

    platform: Platform = "trueconf_chat"
    deliverable = False
    capabilities = Capabilities()

    def __init__(self) -> None:
        self.handed = 0

    async def send(self, chat: ChatRef, reply: Reply) -> None:
        self.handed += 1
        raise DeliveryError("another process holds the connection")

    async def edit(self, chat: ChatRef, message_id: str, reply: Reply) -> None:
        self.handed += 1
        raise DeliveryError("another process holds the connection")


class CountingStore(SqlClaimStore):
    claims = 0

    async def claim(self, *args: object, **kwargs: object) -> list[ClaimedAction]:
        self.claims += 1
        return await super().claim(*args, **kwargs)  # type: ignore[arg-type]


async def test_rows_for_an_unknown_platform_or_one_held_elsewhere_are_sent_nowhere(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    """An attacker's row: a meeting whose chat names a platform no messenger
    is, next to a TrueConf chat another process holds. The dispatcher sends
    the console's reminders, hands neither row to any messenger, leaves both
    pending with no attempt spent, and does not spin on them."""
    now = utcnow()
    due = now - timedelta(seconds=1)
    await seed(session_factory, [due] * 3, now=now, chats=[CHAT, NOWHERE, TRUECONF])
    clock = SystemClock()
    recorder, standby = TopicRecorder(clock), Standby()
    messengers = messengers_with(recorder, standby)
    deps = core_deps(SqlUnitOfWorkFactory(session_factory, clock=clock), clock)
    performer = ActionPerformer(deps, messengers, DeliveryPolicy())
    sweep = 0.2
    store = CountingStore(session_factory)
    dispatcher = Dispatcher(
        store,
        performer,
        clock,
        DispatcherConfig(lease=LEASE, sweep_seconds=sweep),
        platforms=lambda: messengers.deliverable,
    )
    await dispatcher.start()
    try:
        await until(lambda: len(recorder.sent) == 1, within=10, what="the console reminder")
        claims, since = store.claims, time.monotonic()
        await until(lambda: store.claims >= claims + 3, within=10, what="three sweeps")
        elapsed = time.monotonic() - since
    finally:
        await dispatcher.stop()
    # Woken by its sweeps alone, not in a loop over rows it cannot take.
    assert store.claims - claims <= elapsed / sweep + 3
    assert [topic for topic, _ in recorder.sent] == ["r0"]
    assert standby.handed == 0
    async with session_factory() as session:
        left = (
            await session.execute(
                select(
                    ScheduledActionRow.recipient,
                    ScheduledActionRow.status,
                    ScheduledActionRow.attempts,
                )
            )
        ).all()
    assert sorted(left) == sorted(
        [(CHAT.key, "sent", 1), (NOWHERE.key, "pending", 0), (TRUECONF.key, "pending", 0)]
    )
