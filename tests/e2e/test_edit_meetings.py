"""``/meet edit`` and ``/meet list`` over real HTTP: the bridge as ``build_app``
assembles it, against the TrueConf and Callaba sandboxes on loopback, with real
SQLite and PostgreSQL. Each edit is one request to the server (TrueConf: one
``PUT /conferences/{id}``; Callaba: one room update for a new name, none for a
new time, whose activation the ledger re-plans), and the meeting and its
reminders change in one transaction."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.callaba.sandbox import CallabaSandbox
from adapters.trueconf.sandbox import SandboxServer
from bot.chat import ChatRef, Standing, UserRef
from bot.clock import FrozenClock
from bot.commands import CommandInput
from bot.meeting import Meeting
from bot.reply import Capabilities, Reply
from meetbridge.compose import App, build_app
from storage import build_engine
from storage.admin import reminders_with
from storage.repositories.ledger import SqlActionLedger
from tests.support.edges import callaba_endpoint_of, sandbox_config, trueconf_of

pytestmark = pytest.mark.timeout(90)

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # Monday 11:00 in Moscow
CHAT = ChatRef("console", "local", "team")
OTHER_CHAT = ChatRef("console", "local", "elsewhere")


@dataclass
class Session:
    app: App
    trueconf: SandboxServer
    callaba: CallabaSandbox
    engine: AsyncEngine
    clock: FrozenClock
    backend: str
    seen: int = 0

    async def say(
        self,
        text: str,
        user: str = "helen",
        *,
        chat: ChatRef = CHAT,
        standing: Standing = Standing.MEMBER,
    ) -> Reply:
        command_input = CommandInput(
            text=text, chat=chat, user=UserRef("console", "local", user, user), standing=standing
        )
        return await self.app.service.handle(command_input, Capabilities())

    def requests(self) -> list[str]:
        """Requests to this session's server since the last look (no tokens)."""
        if self.backend == "trueconf":
            log = self.trueconf.state.request_log
            calls = [e.endpoint for e in log if "oauth2" not in e.path]
            self.trueconf.state.clear_log()
            return calls
        fresh = self.callaba.state.log()[self.seen :]
        self.seen += len(fresh)
        return [f"{c.method} {c.action}" for c in fresh]

    async def meeting(self, number: int = 1) -> Meeting:
        async with self.app.deps.uow() as uow:
            found = await uow.meetings.get(number)
        assert found is not None
        return found

    async def pending(self, number: int = 1) -> list[tuple[str, datetime]]:
        rows = await reminders_with(self.engine, ("pending",))
        return [(r.kind, r.fire_at) for r in rows if r.meeting_id == number]


@pytest.fixture(params=["trueconf", "callaba"])
async def session(request: pytest.FixtureRequest, database_url: str) -> AsyncIterator[Session]:
    settings = sandbox_config(database_url, callaba_url="sandbox")
    clock = FrozenClock(NOW)
    engine = build_engine(database_url)
    try:
        async with build_app(settings, clock=clock) as app:
            trueconf = trueconf_of(app)[1].sandbox
            callaba = callaba_endpoint_of(app).sandbox
            assert trueconf is not None
            assert callaba is not None
            session = Session(app, trueconf, callaba, engine, clock, request.param)
            await session.say(f"backend {request.param}")
            session.requests()
            yield session
    finally:
        await engine.dispose()


def conference_id(session: Session) -> str:
    if session.backend == "trueconf":
        return session.trueconf.state.conference_ids()[0]
    return next(iter(session.callaba.state.rooms()))


async def test_a_new_date_and_time_is_one_put_and_moves_the_reminders(session: Session) -> None:
    await session.say("tomorrow 15:00 for 1h Review")  # 12:00 UTC
    session.requests()

    reply = await session.say("edit 1 25.11 16:30")

    assert not reply.is_error, reply.plain_text()
    assert (
        "When: Tue 24 Nov 2026, 15:00 (Europe/Moscow) → Wed 25 Nov 2026, 16:30 (Europe/Moscow)"
        in reply.plain_text()
    )
    start = datetime(2026, 11, 25, 13, 30, tzinfo=UTC)
    if session.backend == "trueconf":
        assert session.requests() == ["PUT /conferences/{id}"]
        raw = session.trueconf.state.raw_conference(conference_id(session))
        assert raw is not None
        assert raw["schedule"]["start_time"] == int(start.timestamp())
        assert raw["topic"] == "Review"
        assert raw["invitations"] == ["helen"]  # left as the server held them
        # The reminder and the live card's watch (from 2 minutes before) both move.
        assert sorted(await session.pending()) == [
            ("live", start - timedelta(minutes=2)),
            ("remind", start - timedelta(minutes=10)),
        ]
    else:
        # The room has no schedule: nothing to send, its switching is re-planned.
        assert session.requests() == []
        kinds = dict(await session.pending())
        assert kinds["activate"] == start - timedelta(minutes=5)
        assert kinds["remind"] == start - timedelta(minutes=10)
    assert (await session.meeting()).schedule.start == start  # type: ignore[union-attr]


async def test_duration_and_topic_in_one_request(session: Session) -> None:
    await session.say("tomorrow 15:00 for 1h Sync")
    session.requests()

    reply = await session.say('edit 1 for 45m "Quarterly review"')

    text = reply.plain_text()
    assert "Duration: 1 h → 45 min" in text
    assert "Topic: “Sync” → “Quarterly review”" in text
    if session.backend == "trueconf":
        assert session.requests() == ["PUT /conferences/{id}"]
        raw = session.trueconf.state.raw_conference(conference_id(session))
        assert raw is not None
        assert raw["topic"] == "Quarterly review"
        assert raw["schedule"]["duration"] == 45 * 60
    else:
        assert session.requests() == ["POST update"]
        assert session.callaba.state.rooms()[conference_id(session)]["name"] == "Quarterly review"
        ends = [at for kind, at in await session.pending() if kind == "deactivate"]
        assert ends == [datetime(2026, 11, 24, 12, 45, tzinfo=UTC)]
    meeting = await session.meeting()
    assert (meeting.topic, meeting.duration) == ("Quarterly review", timedelta(minutes=45))


async def test_a_weekly_meeting_gets_new_days_and_time(session: Session) -> None:
    await session.say("weekly mon,wed 10:00 for 30m Standup")
    session.requests()

    reply = await session.say("edit 1 weekly tue,thu 09:30")

    assert "→ weekly, Tue, Thu at 09:30 (Europe/Moscow)" in reply.plain_text()
    if session.backend == "trueconf":
        assert session.requests() == ["PUT /conferences/{id}"]
        raw = session.trueconf.state.raw_conference(conference_id(session))
        assert raw is not None
        assert raw["schedule"]["days"] == ["tuesday", "thursday"]
        assert raw["schedule"]["time"] == "09:30"
    else:
        assert session.requests() == []
    reminders = [at for kind, at in await session.pending() if kind == "remind"]
    assert reminders[0] == datetime(2026, 11, 24, 6, 20, tzinfo=UTC)


async def test_a_failure_between_the_meeting_and_its_reminders_leaves_neither(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    await session.say("tomorrow 15:00 Review")
    before = await session.meeting()
    planned = await session.pending()
    session.requests()

    async def refuse(*args: object) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(SqlActionLedger, "replace_pending", refuse)
    reply = await session.say("edit 1 16:00 New")

    assert reply.is_error
    assert "could not be saved" in reply.plain_text()
    after = await session.meeting()
    assert (after.topic, after.schedule, after.sequence) == (
        before.topic,
        before.schedule,
        before.sequence,
    )
    assert await session.pending() == planned
    # The server is put back as the bridge still knows it.
    if session.backend == "trueconf":
        assert session.requests() == ["PUT /conferences/{id}", "PUT /conferences/{id}"]
        raw = session.trueconf.state.raw_conference(conference_id(session))
        assert raw is not None
        assert raw["topic"] == "Review"
        assert raw["schedule"]["start_time"] == int(before.schedule.start.timestamp())  # type: ignore[union-attr]
    else:
        assert session.requests() == ["POST update", "POST update"]
        assert session.callaba.state.rooms()[conference_id(session)]["name"] == "Review"


async def test_a_running_conference_refuses_what_the_server_refuses(session: Session) -> None:
    await session.say("now for 1h Review")  # started at once
    session.requests()

    reply = await session.say('edit 1 for 30m "New"')

    if session.backend == "trueconf":
        assert reply.is_error
        text = reply.plain_text()
        assert "Meeting #1 is running now" in text
        assert "the duration, the topic" in text
        assert session.requests() == []  # the bridge knew it runs: no PUT
        assert (await session.meeting()).topic == "Review"
    else:  # an open room takes a new name, and its times are the bridge's
        assert not reply.is_error
        assert session.requests() == ["POST update"]


async def test_a_conference_started_behind_the_bridges_back_is_refused_by_the_server(
    session: Session,
) -> None:
    if session.backend != "trueconf":
        pytest.skip("only TrueConf refuses edits of a running conference")
    await session.say("weekly mon 10:00 Review")
    session.trueconf.state.run_conference(conference_id(session))
    session.requests()

    reply = await session.say("edit 1 Renamed")

    assert reply.is_error
    assert "the server does not let the topic change" in reply.plain_text()
    assert session.requests() == ["PUT /conferences/{id}"]  # one, refused
    raw = session.trueconf.state.raw_conference(conference_id(session))
    assert raw is not None
    assert raw["topic"] == "Review"
    assert (await session.meeting()).topic == "Review"


async def test_who_may_edit(session: Session) -> None:
    await session.say("tomorrow 15:00 Mine")
    session.requests()

    member = await session.say("edit 1 Theirs", user="mallory")
    assert member.is_error
    assert "Only the person who created meeting #1 or an admin" in member.plain_text()
    elsewhere = await session.say("edit 1 Theirs", user="mallory", chat=OTHER_CHAT)
    assert elsewhere.is_error
    # An admin of another chat is nobody here either.
    admin_elsewhere = await session.say(
        "edit 1 Theirs", user="mallory", chat=OTHER_CHAT, standing=Standing.CHAT_ADMIN
    )
    assert admin_elsewhere.is_error
    assert session.requests() == []
    assert (await session.meeting()).topic == "Mine"

    admin = await session.say("edit 1 Ours", user="ada", standing=Standing.CHAT_ADMIN)
    assert not admin.is_error
    assert (await session.meeting()).topic == "Ours"


async def test_list_states_and_order(session: Session) -> None:
    await session.say("fri 10:00 Friday")
    await session.say("tomorrow 10:00 Tuesday")
    await session.say("now Incident")
    await session.say("today 12:00 for 30m Soon")

    listing = (await session.say("list")).plain_text()
    assert "#3 Incident — started Mon 23 Nov 2026, 11:00 (Europe/Moscow) · running" in listing
    assert "#4 Soon — Mon 23 Nov 2026, 12:00 (Europe/Moscow) · scheduled" in listing

    await session.say("stop 3")
    session.clock.advance(timedelta(hours=2))  # Soon is over too
    listing = (await session.say("list")).plain_text()
    assert "Incident" not in listing
    assert "Soon" not in listing
    assert "started" not in listing
    assert "Ended: 2. See them with /meet list all" in listing
    everything = (await session.say("list all")).plain_text()
    assert "#3 Incident — Mon 23 Nov 2026, 11:00 (Europe/Moscow) (past) · ended" in everything

    mine = [
        line.split(" — ")[0]
        for line in (await session.say("list mine")).plain_text().splitlines()
        if line.startswith("#")
    ]
    assert mine == ["#2 Tuesday", "#1 Friday"]
