"""Deny by default: with Telegram configured and TELEGRAM_ALLOWED_CHATS unset,
``meetbridge serve`` and ``meetbridge doctor`` stop, naming the setting."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from meetbridge.cli import main
from tests.support.serve import settings_from_nowhere
from tests.support.tokens import telegram_token

pytestmark = pytest.mark.timeout(60)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    settings_from_nowhere(monkeypatch, tmp_path)
    monkeypatch.setenv("TRUECONF_SERVER_URL", "sandbox")
    monkeypatch.setenv("TRUECONF_OWNER", "admin")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", telegram_token())
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", "webhook-secret-for-tests")


def test_serve_stops_at_once_naming_the_setting(tmp_path: Path) -> None:
    finished = subprocess.run(
        [sys.executable, "-m", "meetbridge.cli", "serve", "--port", "1"],
        check=False,
        cwd=tmp_path,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=45,
    )
    assert finished.returncode == 2
    assert "TELEGRAM_ALLOWED_CHATS is not set" in finished.stderr
    assert "docs/deploying.md" in finished.stderr
    assert os.environ["TELEGRAM_BOT_TOKEN"] not in finished.stderr + finished.stdout
    assert not (tmp_path / "bridge.db").exists()  # it stopped before touching anything


def test_doctor_fails_naming_the_setting(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "upgrade"]) == 0
    assert main(["doctor"]) == 1
    out = capsys.readouterr().out
    assert "FAIL  TELEGRAM_ALLOWED_CHATS: TELEGRAM_ALLOWED_CHATS is not set" in out


@pytest.mark.parametrize(("value", "detail"), [("*", "every chat (*)"), ("-100123,42", "2 chat")])
def test_doctor_passes_with_a_list_or_every_chat(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], value: str, detail: str
) -> None:
    monkeypatch.setenv("TELEGRAM_ALLOWED_CHATS", value)
    assert main(["db", "upgrade"]) == 0
    main(["doctor"])
    assert f"ok    TELEGRAM_ALLOWED_CHATS: {detail}" in capsys.readouterr().out


def test_doctor_says_who_the_bridge_admins_are(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TELEGRAM_ALLOWED_CHATS", "*")
    assert main(["db", "upgrade"]) == 0
    main(["doctor"])
    said = capsys.readouterr().out
    # Nobody holds the bridge-wide powers: a warning naming the variable, not "ok".
    assert "warn  BRIDGE_ADMINS: not set: nobody holds the bridge-wide powers" in said
    assert "link requests wait unanswered" in said
    assert "BRIDGE_ADMINS=telegram:<user id>" in said
    monkeypatch.setenv("BRIDGE_ADMINS", "telegram:42,slack:T1:U2")
    main(["doctor"])
    assert "ok    BRIDGE_ADMINS: 2 bridge admin(s)" in capsys.readouterr().out


def test_a_wrong_chat_id_is_named(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TELEGRAM_ALLOWED_CHATS", "-100123,@team")
    assert main(["doctor"]) == 2
    assert "'@team' is not a chat id" in capsys.readouterr().err


def test_a_wrong_bridge_admin_is_named(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIDGE_ADMINS", "telegram:42,alice")
    assert main(["doctor"]) == 2
    assert "BRIDGE_ADMINS" in (err := capsys.readouterr().err)
    assert "'alice' is not telegram:<user id>" in err
