"""Engine construction: URL normalisation, SQLite pragmas, aware UTC datetimes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, text
from sqlalchemy.exc import StatementError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.errors import ConfigError
from storage.db import build_engine, normalize_url
from storage.models import AuditRow, InviteeRow, MeetingRow
from storage.notify import ActionListener


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("sqlite:///var/meetbridge.db", "sqlite+aiosqlite:///var/meetbridge.db"),
        ("sqlite+aiosqlite:////abs/m.db", "sqlite+aiosqlite:////abs/m.db"),
        ("sqlite://", "sqlite+aiosqlite://"),
        ("postgresql://bridge@db:5432/meet", "postgresql+asyncpg://bridge@db:5432/meet"),
        ("postgres://bridge@db/meet", "postgresql+asyncpg://bridge@db/meet"),
        ("postgresql+asyncpg://bridge@db/meet", "postgresql+asyncpg://bridge@db/meet"),
        ("  postgresql://bridge@db/meet\n", "postgresql+asyncpg://bridge@db/meet"),
    ],
)
def test_normalize_url_picks_the_async_driver(given: str, expected: str) -> None:
    assert normalize_url(given).render_as_string(hide_password=False) == expected


@pytest.mark.parametrize(
    "query",
    ["host=a:5432&host=b:5433", "host=a,b&port=5432,5433", "host=a&port=5432", "host=a:5432"],
)
def test_normalize_url_takes_the_several_hosts_forms(query: str) -> None:
    assert normalize_url(f"postgresql://bridge@/meet?{query}").query


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("mysql://root:hunter2@db/meet", "unsupported database 'mysql'"),
        ("postgresql+psycopg2://root:hunter2@db/meet", "driver 'psycopg2'"),
        ("sqlite+pysqlite:///x.db", "driver 'pysqlite'"),
        ("not a url", "not a valid database URL"),
        ("postgresql://root:hunter2@db:5432x/meet", "its host:port cannot be read"),
        ("postgresql://root:hunter2@[::1:5432/meet", "an IPv6 address goes in"),
        ("postgresql://root:hunter2@h1:5432,h2:5432/meet", "several hosts go in"),
        ("postgresql://root:hunter2@db:99999/meet", "port 99999 is not a TCP port"),
        ("postgresql://root:hunter2@db:0/meet", "port 0 is not a TCP port"),
        # The query's ports (SQLAlchemy's several-hosts form), from a new
        # user's trial: asyncpg's OverflowError at the first connection.
        ("postgresql://root:hunter2@db:5432/meet?port=99999", r"\?port=99999 is not a TCP port"),
        ("postgresql://root:hunter2@/meet?host=db:99999", r"\?host=db:99999 is not a TCP"),
        ("postgresql://root:hunter2@/meet?host=a:5432&host=b:0", r"\?host=b:0 is not a TCP"),
        ("postgresql://root:hunter2@/meet?host=a,b&port=5432,70000", r"\?port=70000 is not a"),
        ("postgresql://root:hunter2@/meet?host=db&port=abc", r"\?port=abc must be a number"),
        ("postgresql://root:hunter2@/meet?host=a,b&port=1,2,3", "give each its port"),
        ("postgresql://root:hunter2@/meet?host=a&host=b:5432", "give each its port"),
        # libpq's settings asyncpg would refuse at the first connection.
        ("postgresql://root:hunter2@db/meet?sslmode=bogus", r"\?sslmode= must be one of"),
        ("postgresql://root:hunter2@db/meet?sslrootcert=/ca.pem", "set PGSSLROOTCERT"),
        ("postgresql://root:hunter2@db/meet?sslkey=/k.pem", "set PGSSLKEY"),
        ("postgresql://root:hunter2@db/meet?keepalives=1", r"\?keepalives= is not a"),
        ("postgresql://root@db/meet?sslmode=require&ssl=disable", "set the same; give one"),
        ("postgresql://root@db/meet?sslmode=require&sslmode=disable", "given 2 times"),
        ("postgresql://root@db/meet?connect_timeout=-1", "a number of seconds, 0 for no limit"),
        ("postgresql://root@db/meet?connect_timeout=ten", "a number of seconds, 0 for no limit"),
        ("postgresql://root@db/meet?target_session_attrs=bogus", "one of any, primary"),
        ("postgresql://root@db/meet?gsslib=x", "gssapi or sspi"),
        ("postgresql://root@db/meet?direct_tls=maybe", "true or false"),
        ("postgresql://root@db/meet?command_timeout=nan", "a number of seconds above 0"),
        ("postgresql://root@db/meet?statement_cache_size=-3", "a whole number, 0 or more"),
        ("postgresql://root@db/meet?password=hunter2&password=x", "given 2 times"),
        ("postgresql://root@db/meet?password=hunter2", "write the password in the URL's user"),
        ("postgresql://root@db/meet?hunter2=1", "is not a connection setting"),
        # An "@" in the password must be %40: SQLAlchemy reads the password
        # to the first "@" and the rest as the host, which errors then show.
        ("postgresql://root:hun@ter2@127.0.0.1/meet", "write it as %40"),
        ("postgresql://ro@ot:hunter2@db/meet", "write it as %40"),
    ],
)
def test_normalize_url_rejects_what_it_cannot_run(given: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message) as caught:
        normalize_url(given)
    if "?hunter2" not in given:
        assert "hunter2" not in str(caught.value)
        assert "ter2" not in str(caught.value)


@pytest.mark.parametrize(
    "query",
    [
        "connect_timeout=10",
        "connect_timeout=0",  # libpq's "no limit"
        "command_timeout=30",
        "statement_cache_size=0",
        "prepared_statement_cache_size=0",
        "ssl=disable",
        "target_session_attrs=read-write",
        "krbsrvname=postgres",
        "application_name=meetbridge-listen",
    ],
)
async def test_the_engine_and_the_listener_connect_with_each_url_setting(
    postgres_url: str, query: str
) -> None:
    # The LISTEN connection was made from the raw URL, whose names asyncpg
    # sent to the server as settings: refused, and reminders fell back to
    # polling (an independent review's finding).
    engine = build_engine(f"{postgres_url}?{query}")
    try:
        async with engine.connect() as connection:
            assert await connection.scalar(text("SELECT 1")) == 1
    finally:
        await engine.dispose()
    listener = ActionListener(f"{postgres_url}?{query}", lambda _due: None)
    try:
        await listener.start()
    finally:
        await listener.stop()


async def over_tls(url: str) -> tuple[str, bool]:
    """The connection's application name, and whether it runs over TLS."""
    engine = build_engine(url)
    try:
        async with engine.connect() as connection:
            row = (
                await connection.execute(
                    text(
                        "SELECT current_setting('application_name'), ssl FROM pg_stat_ssl"
                        " WHERE pid = pg_backend_pid()"
                    )
                )
            ).one()
    finally:
        await engine.dispose()
    return str(row[0]), bool(row[1])


async def test_libpq_settings_in_the_url_reach_the_connection(postgres_url: str) -> None:
    # Written for psql: asyncpg alone refused every one of them (TypeError).
    libpq = "sslmode=disable&connect_timeout=5&application_name=meetbridge-check"
    assert await over_tls(f"{postgres_url}?{libpq}") == ("meetbridge-check", False)
    # And sslmode is obeyed, not dropped: TLS, or a refusal by a server without it.
    engine = build_engine(postgres_url)
    try:
        async with engine.connect() as connection:
            server_tls = await connection.scalar(text("SHOW ssl")) == "on"
    finally:
        await engine.dispose()
    if server_tls:
        assert (await over_tls(f"{postgres_url}?sslmode=require"))[1]
    else:
        with pytest.raises(ConnectionError, match="rejected SSL upgrade"):
            await over_tls(f"{postgres_url}?sslmode=require")


async def test_sqlite_pragmas_and_missing_directory(tmp_path: Path) -> None:
    path = tmp_path / "var" / "nested" / "meetbridge.db"
    engine = build_engine(f"sqlite:///{path}")
    try:
        async with engine.connect() as connection:
            pragmas = [
                (await connection.execute(text(f"PRAGMA {name}"))).scalar_one()
                for name in ("foreign_keys", "journal_mode", "busy_timeout")
            ]
    finally:
        await engine.dispose()
    assert pragmas == [1, "wal", 5000]
    assert path.exists()


async def test_memory_sqlite_works_without_wal() -> None:
    engine = build_engine("sqlite://")
    try:
        async with engine.connect() as connection:
            mode = (await connection.execute(text("PRAGMA journal_mode"))).scalar_one()
            keys = (await connection.execute(text("PRAGMA foreign_keys"))).scalar_one()
    finally:
        await engine.dispose()
    assert (mode, keys) == ("memory", 1)


def _audit(at: datetime) -> AuditRow:
    return AuditRow(at=at, chat_key="c", user_key="u", command="x", outcome="ok", detail="")


async def test_datetimes_come_back_aware_utc_and_naive_ones_are_refused(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    moscow = timezone(timedelta(hours=3))
    async with session_factory() as session:
        session.add(_audit(datetime(2026, 1, 1, 12, 0, tzinfo=moscow)))
        await session.commit()
    async with session_factory() as session:
        stored = (await session.scalars(select(AuditRow.at))).one()
    assert stored == datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
    assert stored.tzinfo is UTC

    async with session_factory() as session:
        session.add(_audit(datetime(2026, 1, 1, 12, 0)))  # naive: which zone? refuse
        with pytest.raises(StatementError, match="timezone-aware"):
            await session.flush()


async def test_deleting_a_meeting_cascades_to_invitees(
    engine: AsyncEngine,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    # Proves the foreign key is enforced (on SQLite only with PRAGMA foreign_keys=ON).
    now = datetime(2026, 1, 1, tzinfo=UTC)
    async with session_factory() as session:
        row = MeetingRow(
            backend="trueconf", conference_id="1", chat_key="k", platform="console",
            workspace_id="", chat_id="tty", creator_key="k", creator_platform="console",
            creator_workspace_id="", creator_user_id="me", creator_name="", topic="t",
            schedule_kind="instant", owner_login="o", page_url="", browser_url="",
            app_deeplink="", android_intent="", sip=[], sip_external="", h323=[],
            status="scheduled", created_at=now, updated_at=now,
        )  # fmt: skip
        row.invitees = [InviteeRow(position=0, handle="a", login="", user_id="")]
        session.add(row)
        await session.commit()
        await session.execute(delete(MeetingRow).where(MeetingRow.id == row.id))
        await session.commit()
    async with engine.connect() as connection:
        left = (await connection.execute(select(func.count()).select_from(InviteeRow))).scalar()
    assert left == 0
