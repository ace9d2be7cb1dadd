"""doctor and the admin commands on a database serve has not migrated yet: a
fresh install is not a failure (serve migrates on start), a revision this
version does not know is; a missing SQLite file is reported, never created;
the admin commands say what to run instead of a driver's error."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from sqlalchemy import text

from meetbridge.cli import main
from storage.db import build_engine
from tests.support.serve import free_port

pytestmark = pytest.mark.timeout(60)


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith(("TRUECONF_", "DATABASE_", "SLACK_", "TELEGRAM_", "CALLABA_")):
            monkeypatch.delenv(name)
    monkeypatch.delenv("PUBLIC_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TRUECONF_SERVER_URL", "sandbox")
    monkeypatch.setenv("TRUECONF_OWNER", "admin")


def database_line(out: str) -> str:
    return next(line for line in out.splitlines() if "  database: " in line)


async def set_revision(database_url: str, revision: str) -> None:
    engine = build_engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                text("UPDATE alembic_version SET version_num = :r"), {"r": revision}
            )
    finally:
        await engine.dispose()


def test_a_fresh_database_is_not_a_failure_and_a_newer_one_is(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], database_url: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    capsys.readouterr()
    assert main(["doctor"]) == 0
    line = database_line(capsys.readouterr().out)
    assert line.startswith("warn  database: not migrated yet (")
    assert line.endswith("`meetbridge serve` or `meetbridge db upgrade` applies the migrations")

    assert main(["db", "upgrade"]) == 0
    asyncio.run(set_revision(database_url, "9999_from_the_future"))
    capsys.readouterr()
    assert main(["doctor"]) == 1
    line = database_line(capsys.readouterr().out)
    assert line.startswith("FAIL  database: ")
    assert "revision 9999_from_the_future, which this version does not know" in line


def test_doctor_creates_no_sqlite_file(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("DATABASE_URL", "sqlite:///./meetbridge.db")
    capsys.readouterr()
    assert main(["doctor"]) == 0
    line = database_line(capsys.readouterr().out)
    assert "meetbridge.db does not exist yet" in line
    assert list(tmp_path.iterdir()) == []

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'var' / 'meetbridge.db'}")
    assert main(["doctor"]) == 0
    assert f"its directory {tmp_path / 'var'} does not exist" in capsys.readouterr().out
    assert list(tmp_path.iterdir()) == []


def test_admin_commands_name_an_unmigrated_database_and_a_missing_directory(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "empty.db").touch()
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    capsys.readouterr()
    assert main(["meetings", "list"]) == 1
    err = capsys.readouterr().err
    assert "has no meetbridge tables yet: run `meetbridge db upgrade`" in err
    assert "OperationalError" not in err

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'nowhere' / 'm.db'}")
    assert main(["links", "list"]) == 1
    err = capsys.readouterr().err
    assert f"its directory {tmp_path / 'nowhere'} does not exist: check DATABASE_URL" in err
    assert not (tmp_path / "nowhere").exists()

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'absent.db'}")
    assert main(["db", "current"]) == 1
    assert "absent.db does not exist yet: check DATABASE_URL, or run" in capsys.readouterr().err
    assert not (tmp_path / "absent.db").exists()


def test_an_unreachable_database_names_the_variable_and_what_to_check(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A port nothing listens on: the connection is refused at once.
    url = f"postgresql+asyncpg://bridge:hunter2-secret@127.0.0.1:{free_port()}/bridge"
    monkeypatch.setenv("DATABASE_URL", url)

    assert main(["doctor"]) == 1
    out = capsys.readouterr().out
    line = database_line(out)
    assert line.startswith("FAIL  database: DATABASE_URL=")
    assert "cannot be used" in line
    assert "Check that the database server runs there" in line
    assert "hunter2-secret" not in out


def test_db_upgrade_refuses_a_wrong_database_url_as_every_command_does(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://bridge:hunter2@db:54x2/bridge")
    for command in (["db", "upgrade"], ["meetings", "list"]):
        assert main(command) == 2, command  # a settings error, as serve's
        err = capsys.readouterr().err
        assert err.startswith("meetbridge: DATABASE_URL: its host:port cannot be read"), err
        assert "hunter2" not in err
