"""Without TRUECONF_OWNER (and UNLINKED_MAY_CREATE=true) serve runs: an unlinked
person who creates a meeting is told to link themselves. doctor passes it
with a warning that says so, instead of failing what serve accepts."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.chat import ChatRef, Standing, UserRef
from bot.clock import FrozenClock
from bot.commands import CommandInput
from bot.reply import Capabilities
from meetbridge.cli import main
from meetbridge.compose import build_app
from meetbridge.config import load_config
from meetbridge.validation import refuse_invalid

pytestmark = pytest.mark.timeout(60)


async def test_an_unlinked_person_is_told_to_link_when_nobody_owns(database_url: str) -> None:
    settings = load_config(
        env_file=None,
        database_url=database_url,
        trueconf_server_url="sandbox",
    )
    refuse_invalid(settings)  # serve starts with these settings
    async with build_app(settings, clock=FrozenClock(datetime(2026, 11, 23, tzinfo=UTC))) as app:
        command = CommandInput(
            text="now Incident call",
            chat=ChatRef("console", "local", "team"),
            user=UserRef("console", "local", "ann", "ann"),
            standing=Standing.MEMBER,
        )
        reply = await app.service.handle(command, Capabilities())
    assert reply.is_error
    assert "link yourself with /meet link" in reply.plain_text()
    assert "TRUECONF_OWNER" in reply.plain_text()


def test_doctor_warns_and_passes_without_an_owner(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in list(os.environ):
        if name.startswith(("TRUECONF_", "DATABASE_", "SLACK_", "TELEGRAM_", "CALLABA_")):
            monkeypatch.delenv(name)
    monkeypatch.delenv("PUBLIC_URL", raising=False)
    monkeypatch.delenv("UNLINKED_MAY_CREATE", raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'owner.db'}")
    monkeypatch.setenv("TRUECONF_SERVER_URL", "sandbox")
    assert main(["db", "upgrade"]) == 0
    capsys.readouterr()

    assert main(["doctor"]) == 0

    out = capsys.readouterr().out
    assert "warn  TRUECONF_OWNER: not set: only people linked to a TrueConf account" in out
    assert "FAIL" not in out
