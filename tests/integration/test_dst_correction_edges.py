"""The correction of a server's weekly rule where it can go wrong: a process
that dies between the server's change and the row's record (the next holder
of the row must not move the rule a second time), two replicas after the
same row, a conference still running when its rule is due to move, and
Callaba, which keeps no rule of its own (the bridge switches its rooms by the
meeting's own zone, so there is nothing to correct). Real HTTP to the
sandboxes, real SQLite and PostgreSQL; the clock is injected."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.console.messenger import ConsoleMessenger
from adapters.console.texts import chat_lang
from adapters.trueconf.backend import TrueConfBackend
from adapters.trueconf.sandbox import SandboxServer
from bot.chat import ChatRef, Standing, UserRef
from bot.clock import FrozenClock
from bot.commands import CommandInput
from bot.ports.ledger import ActionKind, ClaimedAction, Finished
from bot.reminders.delivery import ActionPerformer, DeliveryPolicy, Done, Retry
from bot.reply import Capabilities, Reply
from meetbridge.compose import App, build_app
from meetbridge.config import load_config
from storage.claims import SqlClaimStore
from storage.db import build_engine, build_session_factory
from storage.models import ScheduledActionRow
from tests.support.edges import sandbox_config, trueconf_of

CHAT = ChatRef("console", "local", "team")
SPEAKER = UserRef("console", "local", "helen", "Helen")
LEASE = timedelta(minutes=1)
# Monday 10:00 in Moscow (no DST) is 07:00 UTC all year; a London server
# holds 07:00 in winter and needs 08:00 once London is on summer time
# (29 March 2026). The old rule would start it at 06:00 UTC, an hour early.
CREATED = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
FIRST_AFFECTED = datetime(2026, 3, 30, 7, 0, tzinfo=UTC)
PREVIOUS = datetime(2026, 3, 23, 7, 0, tzinfo=UTC)
# An hour before the old rule's start (06:00 UTC).
FIRE_AT = datetime(2026, 3, 30, 5, 0, tzinfo=UTC)
TOLD = "so the bridge moved the server's rule"


@dataclass
class Bridge:
    app: App
    sandbox: SandboxServer
    clock: FrozenClock
    store: SqlClaimStore
    performer: ActionPerformer
    out: io.StringIO
    sessions: async_sessionmaker[AsyncSession]

    @property
    def backend(self) -> TrueConfBackend:
        return trueconf_of(self.app)[0]

    async def say(self, text: str) -> Reply:
        command_input = CommandInput(
            text=text, chat=CHAT, user=SPEAKER, standing=Standing.WORKSPACE_ADMIN
        )
        return await self.app.service.handle(command_input, Capabilities())

    def puts(self) -> int:
        return self.sandbox.state.calls("PUT /conferences/{id}")

    async def held(self) -> tuple[list[str], str, datetime]:
        """The server's rule (days, time) and next start, read over HTTP."""
        [conference_id] = self.sandbox.state.conference_ids()
        schedule = (await self.backend.client.get_conference(conference_id))["schedule"]
        return (
            schedule["days"],
            schedule["time"],
            datetime.fromtimestamp(schedule["start_time"], UTC),
        )

    async def claim(self, owner: str) -> list[ClaimedAction]:
        return await self.store.claim(owner, self.clock.now(), LEASE, 100)

    async def finish(self, owner: str, action: ClaimedAction, outcome: Done) -> None:
        finished = Finished(
            action.id, action.meeting_id, outcome.status, outcome.error, outcome.following
        )
        assert await self.store.finish_many(owner, [finished], self.clock.now()) == 1

    async def run_until(self, moment: datetime) -> None:
        while (due := await self.store.next_available()) is not None and due < moment:
            self.clock.set(max(due, self.clock.now()))
            for action in await self.claim("steady"):
                outcome = await self.performer.perform(action)
                assert isinstance(outcome, Done), outcome
                await self.finish("steady", action, outcome)
        self.clock.set(moment)


@pytest.fixture
async def bridge(database_url: str) -> AsyncIterator[Bridge]:
    clock = FrozenClock(CREATED)
    # The rule's corrections alone: no live card watching each run.
    settings = sandbox_config(
        database_url, trueconf_server_timezone="Europe/London", live_poll_seconds=0
    )
    engine = build_engine(database_url)
    try:
        async with build_app(settings, clock=clock) as app:
            sandbox = trueconf_of(app)[1].sandbox
            assert sandbox is not None
            sandbox.state.clock = clock
            out = io.StringIO()
            app.messengers.register(ConsoleMessenger(out, chat_lang(app.deps.uow, "en")))
            sessions = build_session_factory(engine)
            store = SqlClaimStore(sessions)
            performer = ActionPerformer(app.deps, app.messengers, DeliveryPolicy())
            yield Bridge(app, sandbox, clock, store, performer, out, sessions)
    finally:
        await engine.dispose()


async def _made(bridge: Bridge) -> None:
    reply = await bridge.say("weekly mon 10:00 for 30m Standup")
    assert not reply.is_error, reply.plain_text()
    assert await bridge.held() == (["monday"], "07:00", datetime(2026, 3, 9, 7, 0, tzinfo=UTC))
    await bridge.run_until(FIRE_AT)
    # The previous week ran right; the old rule would start this one at 06:00.
    assert await bridge.held() == (["monday"], "07:00", FIRST_AFFECTED - timedelta(hours=1))
    assert bridge.puts() == 0


async def test_a_crash_after_the_put_does_not_move_the_rule_twice(bridge: Bridge) -> None:
    await _made(bridge)

    [action] = await bridge.claim("replica-a")
    assert (action.kind, action.occurrence_start) == (ActionKind.CORRECT, FIRST_AFFECTED)
    outcome = await bridge.performer.perform(action)
    assert isinstance(outcome, Done)
    # replica-a dies here: the server holds the new rule, the row is not recorded.
    assert bridge.puts() == 1
    assert await bridge.held() == (["monday"], "08:00", FIRST_AFFECTED)
    assert bridge.out.getvalue().count(TOLD) == 1

    assert await bridge.claim("replica-b") == []  # the lease still holds it: once at a time
    bridge.clock.set(FIRE_AT + LEASE + timedelta(seconds=1))
    [again] = await bridge.claim("replica-b")
    assert (again.id, again.attempts) == (action.id, 2)
    outcome = await bridge.performer.perform(again)
    assert isinstance(outcome, Done)
    await bridge.finish("replica-b", again, outcome)

    # Computed from the meeting, not an hour added to what the server held.
    assert bridge.puts() == 1
    assert await bridge.held() == (["monday"], "08:00", FIRST_AFFECTED)
    assert bridge.out.getvalue().count(TOLD) == 1
    # The reverse is planned for the autumn (London back on 25 October).
    rows = await _rows(bridge, ActionKind.CORRECT)
    assert rows == [
        (FIRST_AFFECTED, "late"),  # done past its time (no dispatcher was seen alive)
        (datetime(2026, 10, 26, 7, 0, tzinfo=UTC), "pending"),
    ]
    await bridge.run_until(datetime(2026, 10, 26, 6, 59, tzinfo=UTC))
    assert await bridge.held() == (["monday"], "07:00", datetime(2026, 10, 26, 7, 0, tzinfo=UTC))
    assert bridge.puts() == 2
    assert bridge.out.getvalue().count(TOLD) == 2


async def test_a_running_conference_is_corrected_once_it_has_ended(bridge: Bridge) -> None:
    await _made(bridge)
    await bridge.say("start 1")  # someone left it running

    [action] = await bridge.claim("steady")
    outcome = await bridge.performer.perform(action)
    # TrueConf refuses to change a running conference's schedule: tried again.
    assert isinstance(outcome, Retry), outcome
    assert "conferenceFieldUnavailableForChange" in outcome.error
    assert await bridge.store.retry(action.id, "steady", outcome.at, outcome.error)
    assert bridge.puts() == 1  # the refused one

    await bridge.say("stop 1")
    await bridge.run_until(FIRST_AFFECTED - timedelta(minutes=1))
    assert await bridge.held() == (["monday"], "08:00", FIRST_AFFECTED)
    assert bridge.out.getvalue().count(TOLD) == 1


async def test_a_failing_server_is_tried_until_the_start(bridge: Bridge) -> None:
    """Past the usual five attempts a correction is still tried while the
    start it is for lies ahead; after that it gives up like any row."""
    await _made(bridge)
    await bridge.say("start 1")
    policy = DeliveryPolicy()
    action = None
    for _ in range(policy.max_attempts + 2):
        [action] = await bridge.claim("steady")
        outcome = await bridge.performer.perform(action)
        assert isinstance(outcome, Retry), outcome
        assert await bridge.store.retry(action.id, "steady", outcome.at, outcome.error)
        bridge.clock.set(outcome.at)
    assert action is not None
    assert action.attempts > policy.max_attempts
    bridge.clock.set(FIRST_AFFECTED)
    [action] = [a for a in await bridge.claim("steady") if a.kind is ActionKind.CORRECT]
    outcome = await bridge.performer.perform(action)
    assert isinstance(outcome, Done)
    assert outcome.status.value == "failed"


async def _rows(bridge: Bridge, kind: ActionKind) -> list[tuple[datetime, str]]:
    row = ScheduledActionRow
    async with bridge.sessions() as session:
        found = await session.execute(
            select(row.occurrence_start, row.status)
            .where(row.kind == kind.value)
            .order_by(row.occurrence_start)
        )
        return [(start.astimezone(UTC), status) for start, status in found]


async def test_callaba_rooms_follow_the_meetings_zone_with_nothing_to_correct(
    database_url: str,
) -> None:
    """Callaba keeps no schedule: the bridge's ledger opens the room by the
    meeting's own rule, so across London's change (29 March) it opens at
    09:55 London time both weeks, and no correction is ever planned."""
    clock = FrozenClock(datetime(2026, 3, 16, 12, 0, tzinfo=UTC))
    settings = load_config(
        env_file=None,
        database_url=database_url,
        callaba_url="sandbox",
        default_timezone="Europe/London",
        trueconf_server_timezone="Europe/Moscow",  # no TrueConf here: ignored
        reminder_default_offsets="off",
    )
    engine = build_engine(database_url)
    try:
        async with build_app(settings, clock=clock) as app:
            sessions = build_session_factory(engine)
            store = SqlClaimStore(sessions)
            performer = ActionPerformer(app.deps, app.messengers, DeliveryPolicy())
            command = CommandInput(text="weekly mon 10:00 for 30m Standup", chat=CHAT, user=SPEAKER)
            reply = await app.service.handle(command, Capabilities())
            assert not reply.is_error, reply.plain_text()
            opened: list[datetime] = []
            while (due := await store.next_available()) is not None and due < datetime(
                2026, 4, 7, tzinfo=UTC
            ):
                clock.set(due)
                for action in await store.claim("steady", due, LEASE, 100):
                    outcome = await performer.perform(action)
                    assert isinstance(outcome, Done)
                    assert outcome.status.value == "sent"
                    if action.kind is ActionKind.ACTIVATE:
                        opened.append(due)
                    finished = Finished(
                        action.id, action.meeting_id, outcome.status, None, outcome.following
                    )
                    assert await store.finish_many("steady", [finished], due) == 1
            async with sessions() as session:
                kinds = set(await session.scalars(select(ScheduledActionRow.kind)))
    finally:
        await engine.dispose()
    assert opened == [
        datetime(2026, 3, 23, 9, 55, tzinfo=UTC),  # GMT
        datetime(2026, 3, 30, 8, 55, tzinfo=UTC),  # BST: still 09:55 in London
        datetime(2026, 4, 6, 8, 55, tzinfo=UTC),
    ]
    assert kinds == {"activate", "deactivate"}


async def test_an_edit_plans_the_corrections_of_the_new_rule(bridge: Bridge) -> None:
    """Moved to Tuesday 02:30 in Moscow (23:30 UTC on Monday): on a London
    server that is Tuesday 00:30 in summer and Monday 23:30 in winter, so at
    London's autumn change the days move back too."""
    await _made(bridge)
    await bridge.run_until(datetime(2026, 4, 7, 12, 0, tzinfo=UTC))
    assert await bridge.held() == (["monday"], "08:00", datetime(2026, 4, 13, 7, 0, tzinfo=UTC))

    reply = await bridge.say("edit 1 weekly tue 02:30")
    assert not reply.is_error, reply.plain_text()
    assert await bridge.held() == (["tuesday"], "00:30", datetime(2026, 4, 13, 23, 30, tzinfo=UTC))

    autumn = datetime(2026, 10, 26, 23, 30, tzinfo=UTC)  # Tuesday 02:30 in Moscow
    await bridge.run_until(autumn - timedelta(minutes=1))
    assert await bridge.held() == (["monday"], "23:30", autumn)
    corrections = [start for start, _ in await _rows(bridge, ActionKind.CORRECT)]
    # The Monday rule's autumn correction went with the old rule.
    assert datetime(2026, 10, 26, 7, 0, tzinfo=UTC) not in corrections
    assert autumn in corrections
    assert bridge.out.getvalue().count(TOLD) == 2  # spring (the old rule) and autumn
