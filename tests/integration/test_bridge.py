"""The whole bridge as ``build_app`` assembles it: the command service over the
TrueConf client against the sandbox on loopback HTTP, with real SQLite and
PostgreSQL storage. Also counts the requests each command costs the server."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest

from adapters.trueconf.client import TrueConfClient
from adapters.trueconf.sandbox import SandboxServer
from bot.chat import ChatRef, Standing, UserRef
from bot.clock import FrozenClock
from bot.commands import CommandInput, MeetingForm
from bot.ports import PlannedAction
from bot.reply import Capabilities, Reply, Visibility
from meetbridge.compose import App, build_app
from storage.repositories import ledger as ledger_repository
from storage.repositories import meetings as meetings_repository
from storage.repositories.ledger import action_values
from tests.support.edges import sandbox_config, trueconf_of

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
CHAT = ChatRef("console", "local", "team")


@dataclass
class Session:
    app: App
    sandbox: SandboxServer
    client: TrueConfClient  # the bridge's own, as its backend uses it

    async def say(self, text: str, user: str = "helen", *, admin: bool = False) -> Reply:
        command_input = CommandInput(
            text=text,
            chat=CHAT,
            user=UserRef("console", "local", user, user),
            standing=Standing.WORKSPACE_ADMIN if admin else Standing.MEMBER,
        )
        return await self.app.service.handle(command_input, Capabilities())

    def api_calls(self) -> list[str]:
        """Conference-API requests since the last call (token requests excluded)."""
        calls = [e.endpoint for e in self.sandbox.state.request_log if "oauth2" not in e.path]
        self.sandbox.state.clear_log()
        return calls


@pytest.fixture
async def session(database_url: str) -> AsyncIterator[Session]:
    settings = sandbox_config(database_url)
    async with build_app(settings, clock=FrozenClock(NOW)) as app:
        backend, endpoint = trueconf_of(app)
        assert endpoint.sandbox is not None
        yield Session(app, endpoint.sandbox, backend.client)


async def test_requests_per_command(session: Session) -> None:
    """The figures of the closing note: one request creates a conference with its
    invitations; an @mention not linked to a login costs one user lookup."""
    await session.say("now Incident call")
    assert session.api_calls() == ["POST /conferences"]

    await session.say("now Incident call @oncall @alice")
    assert session.api_calls() == ["GET /users/{id}", "GET /users/{id}", "POST /conferences"]

    await session.say("tomorrow 15:00 for 1h Design review")
    assert session.api_calls() == ["POST /conferences"]

    await session.say("weekly mon,wed 10:00 for 30m Standup")
    assert session.api_calls() == ["POST /conferences"]

    await session.say("list")
    assert session.api_calls() == []

    await session.say("info 4")
    assert session.api_calls() == ["GET /conferences/{id}"]

    await session.say("invite 4 @dave")
    assert session.api_calls() == [
        "GET /users/{id}",
        "POST /conferences/{id}/invitations",
        "GET /conferences/{id}",
    ]

    await session.say("uninvite 4 @dave")
    assert session.api_calls() == ["DELETE /conferences/{id}/invitations/{login}"]

    await session.say("guest 4")
    assert session.api_calls() == ["GET /software/clients"]

    await session.say("start 3")
    assert session.api_calls() == ["POST /conferences/{id}/run"]
    await session.say("stop 3")
    assert session.api_calls() == ["POST /conferences/{id}/stop"]

    await session.say("cancel 4")
    assert session.api_calls() == ["DELETE /conferences/{id}"]

    # A token is fetched once for all of the above.
    assert session.sandbox.state.tokens_issued == 1


async def test_weekly_meeting_end_to_end(session: Session) -> None:
    reply = await session.say("weekly mon,wed 10:00 for 30m Standup @alice @bob")

    text = reply.plain_text()
    (cid,) = session.sandbox.state.conference_ids()
    raw = session.sandbox.state.raw_conference(cid)
    assert raw is not None
    assert raw["invitations"] == ["helen", "alice", "bob"]
    assert raw["schedule"]["days"] == ["monday", "wednesday"]
    assert raw["schedule"]["time"] == "10:00"
    assert raw["schedule"]["duration"] == 1800
    served = await session.client.get_conference(cid)
    for expected in (
        cid,
        served["url"],
        served["webclient_url"],
        served["deeplinks"]["default"],
        *served["connect_urls"]["sip"],
        *served["connect_urls"]["h323"],
    ):
        assert expected in text
    # The server's Android intent, with the browser as its fallback added.
    android = served["deeplinks"]["android"].removesuffix(";end")
    assert f"{android};S.browser_fallback_url=" in text
    assert "next: Wed 25 Nov 2026, 10:00 (Europe/Moscow)" in text

    listing = (await session.say("list")).plain_text()
    assert "#1 Standup" in listing


async def test_weekly_rule_crossing_midnight_moves_the_days_on_the_server(
    session: Session,
) -> None:
    await session.say("tz Asia/Tokyo")
    await session.say("weekly mon,tue 02:30 Early sync")

    (cid,) = session.sandbox.state.conference_ids()
    raw = session.sandbox.state.raw_conference(cid)
    assert raw is not None
    # 02:30 in Tokyo (UTC+9) is 20:30 the day before in Moscow (UTC+3).
    assert sorted(raw["schedule"]["days"]) == ["monday", "sunday"]
    assert raw["schedule"]["time"] == "20:30"


async def test_server_refusals_reach_the_person_as_sentences(session: Session) -> None:
    await session.say("now Call")
    (cid,) = session.sandbox.state.conference_ids()
    await session.say("cancel 1")
    assert cid not in session.sandbox.state.conference_ids()  # stopped, then deleted

    await session.say("tomorrow 15:00 Review")
    session.sandbox.state.revoke_tokens()
    info = await session.say("info 2")
    assert not info.is_error  # the revoked token was replaced and the call repeated

    session.sandbox.state.max_conferences = 1
    refused = await session.say("now One more")
    assert refused.is_error
    assert refused.visibility is Visibility.PRIVATE
    assert "conferenceLimit" not in refused.plain_text()
    assert "allows no more conferences" in refused.plain_text()


async def test_pin_is_sent_privately_to_the_creator(session: Session) -> None:
    await session.say("tomorrow 15:00 Board")
    (cid,) = session.sandbox.state.conference_ids()
    await session.client.edit_conference(cid, {"pin": "7777"})

    reply = await session.say("info 1")

    assert "7777" not in reply.plain_text()
    assert [n.visibility for n in reply.private_notes] == [Visibility.PRIVATE]
    assert "7777" in reply.private_notes[0].plain_text()
    other = await session.say("info 1", user="alice")
    assert not other.private_notes


async def test_linking_makes_the_person_owner(session: Session) -> None:
    assert not (await session.say("link carol", user="cj")).is_error
    await session.say("now Pending", user="cj")  # a request owns nothing yet
    assert not (await session.say("link @cj", user="root", admin=True)).is_error
    await session.say("now Sync", user="cj")

    pending, linked = (
        session.sandbox.state.raw_conference(cid) for cid in session.sandbox.state.conference_ids()
    )
    assert pending is not None
    assert linked is not None
    assert pending["owner"] == "helen"
    assert linked["owner"] == "carol"
    assert linked["invitations"] == ["carol"]


async def test_secrets_never_reach_logs_reprs_or_replies(
    session: Session, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = session.sandbox.state
    tokens: list[str] = []
    issue = state.issue_token

    def issue_and_remember(form: Any) -> dict[str, Any]:
        answer = issue(form)
        tokens.append(answer["access_token"])
        return answer

    monkeypatch.setattr(state, "issue_token", issue_and_remember)
    caplog.set_level(logging.DEBUG)
    replies = [
        await session.say("now Call @alice"),
        await session.say("guest 1"),
        await session.say("info 1"),
    ]
    state.revoke_tokens()
    replies.append(await session.say("info 1"))

    assert len(tokens) == 2  # the first token and the one after the revocation
    visible = "\n".join(
        [
            caplog.text,
            repr(session.app.config),
            repr(session.client),
            repr(session.sandbox),
            *(r.plain_text() for r in replies),
        ]
    )
    for secret in (state.client_secret, *tokens):
        assert secret not in visible


async def _fill_in(session: Session, form: MeetingForm) -> Reply:
    """What the Slack form sends: the fields as a built command, no text."""
    command_input = CommandInput(
        text="", command=form, chat=CHAT, user=UserRef("console", "local", "helen", "helen")
    )
    return await session.app.service.handle(command_input, Capabilities())


FORM = MeetingForm(
    at=time(9, 30),
    day=date(2026, 12, 1),
    duration=timedelta(minutes=45),
    topic='Retro "Q4" for all',
    reminder_offsets=(timedelta(minutes=10), timedelta(hours=1)),
)


async def test_a_form_creates_the_meeting_with_its_reminders_in_one_reply(
    session: Session,
) -> None:
    reply = await _fill_in(session, FORM)
    assert not reply.is_error, reply.plain_text()
    assert "2 reminders — 10 min, 1 h before the start" in reply.plain_text()
    async with session.app.deps.uow() as uow:
        [meeting] = await uow.meetings.list_active(CHAT)
        assert meeting.id is not None
        first = await uow.ledger.next_reminder(meeting.id)
    assert meeting.topic == 'Retro "Q4" for all'  # a field, never read as command words
    assert meeting.reminders == FORM.reminder_offsets
    # 09:30 in Moscow, an hour before.
    assert first == datetime(2026, 12, 1, 5, 30, tzinfo=UTC)


async def test_a_failure_between_the_meeting_and_its_reminders_leaves_neither(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The database refuses the reminder rows (a kind its CHECK does not allow),
    # whether they are written one statement after the meeting or with it in one.
    def refused_row(meeting_id: int, action: PlannedAction, now: datetime) -> dict[str, Any]:
        return {**action_values(meeting_id, action, now), "kind": "explode"}

    monkeypatch.setattr(meetings_repository, "action_values", refused_row)
    monkeypatch.setattr(ledger_repository, "action_values", refused_row)
    reply = await _fill_in(session, FORM)
    assert reply.is_error
    async with session.app.deps.uow() as uow:
        assert await uow.meetings.list_active(CHAT) == []
        assert await uow.ledger.next_reminders([1, 2]) == {}
    # Nor a conference on the server that nobody could manage.
    assert session.sandbox.state.conference_ids() == []
