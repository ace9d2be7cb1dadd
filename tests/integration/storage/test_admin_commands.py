"""The admin commands on SQLite and PostgreSQL: db current|history, audit tail
(and --follow), reminders pending|failed, and retry of a failed reminder
(which touches nothing else)."""

from __future__ import annotations

import concurrent.futures
import csv
import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.settings import Settings
from meetbridge import admin
from meetbridge.cli import build_parser, main
from storage import head_revision
from storage.admin import MEETING_COLUMNS
from storage.models import AuditRow, MeetingRow, ScheduledActionRow, UserLinkRow
from tests.support.reminders import seed

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def settings_for(url: str) -> Settings:
    return Settings(_env_file=None, database_url=url)


class Lines(list[str]):
    def __call__(self, line: str) -> None:
        self.extend(line.splitlines())


async def add_audit(sessions: async_sessionmaker[AsyncSession], count: int, start: int = 0) -> None:
    async with sessions() as session, session.begin():
        await session.execute(
            insert(AuditRow),
            [
                {
                    "at": NOW + timedelta(minutes=n),
                    "chat_key": "telegram:-100:1",
                    "user_key": f"telegram:{n}",
                    "command": "new",
                    "outcome": "ok",
                    "detail": f"meeting {n}",
                }
                for n in range(start, start + count)
            ],
        )


async def test_db_current_and_history(migrated_url: str) -> None:
    out = Lines()
    assert await admin.db_current(settings_for(migrated_url), out, False) == 0
    assert out == [f"{head_revision()} (head)"]
    out = Lines()
    await admin.db_history(settings_for(migrated_url), out, True)
    history = json.loads("\n".join(out))
    assert history[0]["revision"] == "0001"
    assert history[-1]["revision"] == head_revision()
    assert all(rev["applied"] for rev in history)
    assert all(rev["summary"] for rev in history)


async def test_db_current_says_when_it_is_behind(database_url: str) -> None:
    out = Lines()
    await admin.db_current(settings_for(database_url), out, False)  # never migrated
    assert out == [f"none (behind: the newest is {head_revision()}; run `meetbridge db upgrade`)"]


async def test_db_current_says_a_newer_version_migrated_it(
    migrated_url: str, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    async with session_factory() as session, session.begin():
        await session.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    out = Lines()
    assert await admin.db_current(settings_for(migrated_url), out, False) == 0
    assert out == [
        f"0099 (newer than this version knows, whose newest is {head_revision()}: "
        "a newer meetbridge migrated it; run that version)"
    ]
    out = Lines()
    await admin.db_current(settings_for(migrated_url), out, True)
    assert json.loads("\n".join(out)) == {
        "current": "0099",
        "head": head_revision(),
        "up_to_date": False,
        "known": False,
    }


async def test_audit_tail_shows_the_newest_oldest_first(
    migrated_url: str, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    await add_audit(session_factory, 5)
    out = Lines()
    await admin.audit(settings_for(migrated_url), out, False, limit=3, follow=False)
    assert out[0].split() == ["ID", "AT", "CHAT", "USER", "COMMAND", "OUTCOME", "DETAIL"]
    assert [line.split()[-1] for line in out[1:]] == ["2", "3", "4"]  # meeting 2, 3, 4
    out = Lines()
    await admin.audit(settings_for(migrated_url), out, True, limit=2, follow=False)
    assert [entry["detail"] for entry in json.loads("\n".join(out))] == ["meeting 3", "meeting 4"]


async def test_audit_follow_prints_entries_as_they_come(
    migrated_url: str, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    await add_audit(session_factory, 1)
    rounds = 0

    async def sleep(_seconds: float) -> None:  # each round of the follow loop
        nonlocal rounds
        rounds += 1
        if rounds == 1:
            await add_audit(session_factory, 2, start=1)
        elif rounds == 3:
            raise KeyboardInterrupt  # the admin's Ctrl-C

    out = Lines()
    with pytest.raises(KeyboardInterrupt):
        await admin.audit(settings_for(migrated_url), out, True, limit=10, follow=True, sleep=sleep)
    assert [json.loads(line)["detail"] for line in out] == ["meeting 0", "meeting 1", "meeting 2"]


async def test_reminders_pending_failed_and_retry(
    migrated_url: str, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    await seed(session_factory, [NOW + timedelta(minutes=5), NOW + timedelta(minutes=6)], now=NOW)
    async with session_factory() as session, session.begin():
        ids = list((await session.execute(select(ScheduledActionRow.id))).scalars())
        first, second = sorted(ids)
        await session.execute(
            update(ScheduledActionRow)
            .where(ScheduledActionRow.id == second)
            .values(status="failed", attempts=5, last_error="the bot was removed from the chat")
        )
    settings = settings_for(migrated_url)
    out = Lines()
    await admin.reminders(settings, out, True, which="pending")
    assert [row["id"] for row in json.loads("\n".join(out))] == [first]
    out = Lines()
    await admin.reminders(settings, out, False, which="failed")
    assert out[0].split()[-1] == "LAST_ERROR"
    assert out[1].startswith(str(second))
    assert out[1].endswith("the bot was removed from the chat")

    out = Lines()
    assert await admin.retry(settings, out, first) == 1  # pending, not failed: untouched
    assert out == [f"no failed reminder {first}: `meetbridge reminders failed` lists them"]
    assert await admin.retry(settings, Lines(), second) == 0
    async with session_factory() as session:
        row = await session.get(ScheduledActionRow, second)
        assert row is not None
        assert (row.status, row.attempts, row.last_error) == ("pending", 0, None)
        untouched = await session.get(ScheduledActionRow, first)
        assert untouched is not None
        assert untouched.fire_at == NOW + timedelta(minutes=5)


async def test_the_commands_are_on_the_command_line(
    migrated_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", migrated_url)
    monkeypatch.setenv("TRUECONF_SERVER_URL", "sandbox")
    for args in (["db", "current"], ["reminders", "failed", "--json"], ["audit", "tail"]):
        assert await_main(args) == 0, args
    out = capsys.readouterr().out
    assert f"{head_revision()} (head)" in out
    assert "[]" in out
    assert "(none)" in out


def await_main(args: list[str]) -> int:
    """``main`` runs its own event loop: off this test's loop, in a thread."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(main, args).result(timeout=60)


async def test_meetings_list_show_and_export(
    migrated_url: str, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    await seed(session_factory, [NOW + timedelta(hours=1), NOW + timedelta(hours=2)], now=NOW)
    settings = settings_for(migrated_url)
    out = Lines()
    assert await admin.meetings_list(settings, out, False, None) == 0
    assert out[0].split()[:3] == ["ID", "BACKEND", "CONFERENCE_ID"]
    assert [line.split()[-1] for line in out[1:]] == ["r0", "r1"]
    out = Lines()
    await admin.meetings_list(settings, out, True, "cancelled")
    assert json.loads("\n".join(out)) == []
    out = Lines()
    listed = Lines()
    await admin.meetings_list(settings, listed, True, None)
    meeting_id = json.loads("\n".join(listed))[0]["id"]
    assert await admin.meetings_show(settings, out, True, str(meeting_id)) == 0
    shown = json.loads("\n".join(out))
    assert shown["topic"] == "r0"
    assert shown["start_utc"] == (NOW + timedelta(hours=1) + timedelta(minutes=10)).isoformat()
    assert await admin.meetings_show(settings, Lines(), False, "999999") == 1
    out = Lines()
    await admin.meetings_export(settings, out, "csv")
    records = list(csv.DictReader(out))
    assert [r["topic"] for r in records] == ["r0", "r1"]
    assert set(records[0]) == set(MEETING_COLUMNS)


async def add_links(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions() as session, session.begin():
        await session.execute(
            insert(UserLinkRow),
            [
                {
                    "platform": "telegram",
                    "workspace_id": "7012345678",  # the bot's id, as Telegram's edge stores it
                    "user_id": "501",
                    "login": "alice",
                    "linked_by": "telegram:7012345678:501",
                    "linked_at": NOW,
                    "status": "pending",
                },
                {
                    "platform": "slack",
                    "workspace_id": "T1",
                    "user_id": "U2",
                    "login": "bob",
                    "linked_by": "slack:T1:U9",
                    "linked_at": NOW,
                    "status": "active",
                },
            ],
        )


async def test_links_list_approve_and_remove_are_audited(
    migrated_url: str, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    await add_links(session_factory)
    settings = settings_for(migrated_url)
    out = Lines()
    await admin.links_list(settings, out, True, True)
    [pending] = json.loads("\n".join(out))
    assert (pending["login"], pending["person"]) == ("alice", "telegram:7012345678:501")
    out = Lines()
    await admin.links_list(settings, out, False, False)
    assert out[0].split() == ["PERSON", "LOGIN", "STATUS", "DISPLAY_NAME"]
    # What the table shows is what approve takes.
    persons = [line.split()[0] for line in out[1:]]
    assert persons == ["slack:T1:U2", "telegram:7012345678:501"]

    assert await admin.links_change(settings, Lines(), "approve", "slack:T1:U2") == 1  # active
    out = Lines()
    # Without the bot's id it names nobody: Telegram's rows are per bot.
    assert await admin.links_change(settings, Lines(), "approve", "telegram:501") == 1
    assert await admin.links_change(settings, out, "approve", "telegram:7012345678:501") == 0
    assert out == ["telegram:7012345678:501: linked"]
    assert await admin.links_change(settings, Lines(), "remove", "slack:T1:U2") == 0
    assert await admin.links_change(settings, Lines(), "remove", "slack:T1:U2") == 1  # gone
    for wrong in ("not-a-person", "telegram:", ":501", "slack::U2"):
        refused = Lines()
        assert await admin.links_change(settings, refused, "remove", wrong) == 2, wrong
        assert refused == [
            f"{wrong!r} is not a person: write it as `meetbridge links list` shows it, "
            "telegram:<bot id>:<user id> or slack:<team>:<user>"
        ]

    out = Lines()
    await admin.links_list(settings, out, True, False)
    assert [(x["login"], x["status"]) for x in json.loads("\n".join(out))] == [("alice", "active")]
    out = Lines()
    await admin.audit(settings, out, True, limit=10, follow=False)
    audited = [(e["command"], e["detail"]) for e in json.loads("\n".join(out))]
    assert audited == [
        ("link", "telegram:7012345678:501 approved from the command line"),
        ("unlink", "slack:T1:U2 removed from the command line"),
    ]


def test_meetings_list_refuses_a_status_meetings_never_have(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # "active" was the README's example: it listed nothing, as if no
    # meeting ran. Refused before any database is opened.
    with pytest.raises(SystemExit) as refused:
        main(["meetings", "list", "--status", "active"])
    assert refused.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'active'" in err
    assert "'scheduled', 'running', 'ended', 'cancelled'" in err


async def add_pending_link(
    sessions: async_sessionmaker[AsyncSession],
    platform: str,
    workspace: str,
    user: str,
    *,
    login: str | None = None,
    display_name: str | None = None,
) -> None:
    """A link the person asked for themselves, waiting for an admin."""
    async with sessions() as session, session.begin():
        await session.execute(
            insert(UserLinkRow).values(
                platform=platform,
                workspace_id=workspace,
                user_id=user,
                login=login or user,
                display_name=display_name,
                linked_by=f"{platform}:{workspace}:{user}",
                linked_at=NOW,
                status="pending",
            )
        )


async def test_a_person_whose_workspace_holds_colons_is_approved_as_listed(
    migrated_url: str, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    # A TrueConf chat server named by an IPv6 address is the workspace of its
    # people: `links list` shows it with its colons, and approve takes that.
    await add_pending_link(session_factory, "trueconf_chat", "::1", "alice")
    settings = settings_for(migrated_url)
    out = Lines()
    await admin.links_list(settings, out, True, True)
    [pending] = json.loads("\n".join(out))
    assert pending["person"] == "trueconf_chat:::1:alice"
    out = Lines()
    assert await admin.links_change(settings, out, "approve", pending["person"]) == 0
    assert out == ["trueconf_chat:::1:alice: linked"]


async def test_control_characters_in_a_cell_cannot_forge_the_terminal(
    migrated_url: str, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    # A display name is whatever the person set on their messenger: an
    # escape sequence clears the admin's screen, a newline or a carriage
    # return writes a row of its own. Every cell is shown escaped.
    forged = "Eve\x1b[2J\nslack:T1:U1  root  active  Admin\rX\u202e"
    await add_pending_link(session_factory, "slack", "T1", "U7", login="eve", display_name=forged)
    settings = settings_for(migrated_url)
    out: list[str] = []
    await admin.links_list(settings, out.append, False, False)
    assert len(out) == 2, out  # the header and Eve's row, each one line
    row = out[1]
    assert row.isprintable(), row
    assert row.endswith(r"Eve\x1b[2J\nslack:T1:U1  root  active  Admin\rX\u202e"), row
    # JSON escapes them itself.
    out = []
    await admin.links_list(settings, out.append, True, False)
    assert "\x1b" not in out[0]
    assert json.loads(out[0])[0]["display_name"] == forged
    # A topic is typed by anyone in a chat: the same in `meetings show`.
    await seed(session_factory, [NOW + timedelta(hours=1)], now=NOW)
    async with session_factory() as session, session.begin():
        await session.execute(update(MeetingRow).values(topic="Sync\x1b]0;owned\x07\r\nid  1"))
    out = []
    assert await admin.meetings_show(settings, out.append, False, "1") == 0
    assert all(line.isprintable() for line in out), out
    assert any(line.endswith(r"Sync\x1b]0;owned\x07\r\nid  1") for line in out), out


async def test_a_meeting_started_at_once_is_listed_running_from_its_start(
    migrated_url: str, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    # `/meet now` stores no start and a record status of "scheduled": the
    # list showed it "scheduled" with no start. It shows what the bot does.
    await seed(session_factory, [NOW + timedelta(hours=1), NOW + timedelta(hours=2)], now=NOW)
    started = NOW - timedelta(minutes=5)
    async with session_factory() as session, session.begin():
        await session.execute(
            update(MeetingRow)
            .where(MeetingRow.topic == "r1")
            .values(
                schedule_kind="instant",
                start_utc=None,
                zone=None,
                live_state="running",
                state_since=started,
                created_at=started,
            )
        )
    settings = settings_for(migrated_url)
    out = Lines()
    assert await admin.meetings_list(settings, out, False, None, now=NOW) == 0
    assert out[0].split() == [
        "ID",
        "BACKEND",
        "CONFERENCE_ID",
        "STATE",
        "SCHEDULE_KIND",
        "START",
        "TOPIC",
    ]
    once, instant = (line.split() for line in out[1:])
    assert once[3:] == [
        "scheduled",
        "once",
        (NOW + timedelta(hours=1, minutes=10)).isoformat(),
        "r0",
    ]
    assert instant[3:] == ["running", "instant", started.isoformat(), "r1"]
    out = Lines()
    await admin.meetings_list(settings, out, True, None, now=NOW)
    listed = json.loads("\n".join(out))
    assert [(m["status"], m["state"]) for m in listed] == [
        ("scheduled", "scheduled"),
        ("scheduled", "running"),
    ]
    # Once its time has passed, the one-time meeting has ended.
    out = Lines()
    await admin.meetings_list(settings, out, False, None, now=NOW + timedelta(hours=3))
    assert out[1].split()[3] == "ended"


async def test_meetings_list_filters_on_the_state_people_see(
    migrated_url: str, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    # --status took the record's status alone: a running meeting's is
    # "scheduled", and `--status running` was refused. It takes the states
    # of the STATE column, as the chats show them.
    hours = [NOW + timedelta(hours=n) for n in (1, 2, 4)]
    await seed(session_factory, hours, now=NOW)
    async with session_factory() as session, session.begin():
        started = NOW - timedelta(minutes=5)
        await session.execute(
            update(MeetingRow).where(MeetingRow.topic == "r1").values(start_utc=started)
        )
        await session.execute(
            update(MeetingRow).where(MeetingRow.topic == "r2").values(status="cancelled")
        )
    settings = settings_for(migrated_url)

    async def topics(state: str, now: datetime = NOW) -> list[tuple[object, object]]:
        out = Lines()
        assert await admin.meetings_list(settings, out, True, state, now=now) == 0
        return [(row["topic"], row["state"]) for row in json.loads("\n".join(out))]

    assert await topics("scheduled") == [("r0", "scheduled")]
    assert await topics("running") == [("r1", "running")]
    assert await topics("ended") == []
    later = NOW + timedelta(hours=3)
    assert await topics("ended", later) == [("r0", "ended"), ("r1", "ended")]
    assert await topics("cancelled") == [("r2", "cancelled")]
    # The command line takes each of them.
    for state in ("scheduled", "running", "ended", "cancelled"):
        assert build_parser().parse_args(["meetings", "list", "--status", state]).status == state


async def test_meetings_show_prints_one_state(
    migrated_url: str, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    # It printed the record's `status` (scheduled) beside the bot's `state`
    # (running): two answers to one question.
    await seed(session_factory, [NOW + timedelta(hours=1)], now=NOW)
    async with session_factory() as session, session.begin():
        await session.execute(update(MeetingRow).values(start_utc=NOW - timedelta(minutes=5)))
    out = Lines()
    assert await admin.meetings_show(settings_for(migrated_url), out, False, "1", now=NOW) == 0
    keys = [line.split()[0] for line in out]
    assert "status" not in keys, out
    assert [line.split() for line in out if line.startswith("state ")] == [["state", "running"]]


async def test_meetings_show_takes_the_number_as_the_bot_writes_it_or_the_conference_id(
    migrated_url: str,
    session_factory: async_sessionmaker[AsyncSession],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    await seed(session_factory, [NOW + timedelta(hours=1), NOW + timedelta(hours=2)], now=NOW)
    settings = settings_for(migrated_url)
    listed = Lines()
    await admin.meetings_list(settings, listed, True, None, now=NOW)
    first, second = json.loads("\n".join(listed))
    for ref in (f"#{second['id']}", str(second["id"]), "c1", f" #{second['id']} "):
        out = Lines()
        assert await admin.meetings_show(settings, out, True, ref, now=NOW) == 0, ref
        assert json.loads("\n".join(out))["topic"] == "r1", ref
    for wrong in ("#999999", "c9", "#c1", "#", ""):
        out = Lines()
        assert await admin.meetings_show(settings, out, False, wrong, now=NOW) == 1, wrong
        assert out[0].startswith("no meeting"), out
    # On the command line: '#3' as people copy it from the bot's replies.
    monkeypatch.setenv("DATABASE_URL", migrated_url)
    monkeypatch.setenv("TRUECONF_SERVER_URL", "sandbox")
    assert await_main(["meetings", "show", f"#{first['id']}"]) == 0
    assert "r0" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("topic", "written"),
    [
        # A topic anyone in a chat typed: raw, it would clear the admin's
        # terminal or write to their clipboard (OSC 52).
        ("Sync\x1b[2J\x1b]52;c;cm0K\x07", "Sync\\x1b[2J\\x1b]52;c;cm0K\\x07"),
        # Opened in a spreadsheet, a cell starting so is a formula.
        ('=HYPERLINK("http://evil.example")', '\'=HYPERLINK("http://evil.example")'),
        ("+1 sync", "'+1 sync"),
        ("@here review", "'@here review"),
        ("Plain - topic", "Plain - topic"),
        # Spreadsheets skip leading spaces, and OWASP names tab and carriage
        # return as starts of their own; the full-width signs are read as theirs.
        (" =1+1", "' =1+1"),
        ("  @SUM(A1)", "'  @SUM(A1)"),
        ("\t=1+1", "'\\t=1+1"),
        ("\r-1", "'\\r-1"),
        ("\tPlain", "'\\tPlain"),
        ("\uff1dHYPERLINK(1)", "'\uff1dHYPERLINK(1)"),
        ("\uff0b1", "'\uff0b1"),
        ("\uff0d1", "'\uff0d1"),
        (" \uff20here", "' \uff20here"),
        ("  Plain - topic", "  Plain - topic"),
    ],
)
async def test_meetings_export_csv_neither_drives_a_terminal_nor_starts_a_formula(
    migrated_url: str, session_factory: async_sessionmaker[AsyncSession], topic: str, written: str
) -> None:
    await seed(session_factory, [NOW + timedelta(hours=1)], now=NOW)
    async with session_factory() as session, session.begin():
        await session.execute(update(MeetingRow).values(topic=topic))
    settings = settings_for(migrated_url)
    out = Lines()
    await admin.meetings_export(settings, out, "csv")
    [record] = csv.DictReader(out)
    assert record["topic"] == written
    # JSON keeps the data exactly: what scripts read.
    out = Lines()
    await admin.meetings_export(settings, out, "json")
    [exported] = json.loads("\n".join(out))
    assert exported["topic"] == topic


async def test_a_row_whose_schedule_cannot_be_read_is_listed_as_stored(
    migrated_url: str, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    # From an attacker's trial (a tampered database): one unreadable row made
    # `meetings list` and `export` fail whole ("KeyError: 'zz'").
    await seed(session_factory, [NOW + timedelta(hours=1), NOW + timedelta(hours=2)], now=NOW)
    async with session_factory() as session, session.begin():
        first = await session.scalar(select(func.min(MeetingRow.id)))
        await session.execute(
            update(MeetingRow)
            .where(MeetingRow.id == first)
            .values(schedule_kind="weekly", weekly_days="zz", weekly_time="10:00", zone="UTC")
        )
    out = Lines()
    assert await admin.meetings_list(settings_for(migrated_url), out, True, None) == 0
    assert [row["topic"] for row in json.loads("\n".join(out))] == ["r0", "r1"]


async def test_a_database_url_without_its_async_driver_is_read_with_it(
    migrated_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The forms admins write from other tools' docs: sqlite:///… and
    # postgresql://… (postgres:// too), without +aiosqlite or +asyncpg.
    plain = migrated_url.replace("+aiosqlite", "").replace("+asyncpg", "")
    assert "+" not in plain.partition("://")[0]
    monkeypatch.setenv("DATABASE_URL", plain)
    monkeypatch.setenv("TRUECONF_SERVER_URL", "sandbox")
    assert await_main(["db", "current"]) == 0
    assert capsys.readouterr().out.strip() == f"{head_revision()} (head)"
    if plain.startswith("postgresql://"):
        monkeypatch.setenv("DATABASE_URL", plain.replace("postgresql://", "postgres://", 1))
        assert await_main(["db", "current"]) == 0
        assert capsys.readouterr().out.strip() == f"{head_revision()} (head)"
    # A driver of another kind is named, with the form to write.
    monkeypatch.setenv("DATABASE_URL", plain.replace("://", "+psycopg2://", 1))
    assert await_main(["db", "current"]) != 0
    said = capsys.readouterr()
    assert "DATABASE_URL: driver 'psycopg2' is not supported" in said.out + said.err
