"""The command line with Callaba: doctor checks it, a missing token is named,
a refused token is reported without being printed."""

from __future__ import annotations

import pytest

from adapters.callaba.sandbox import CallabaSandbox
from meetbridge.cli import main
from tests.integration.test_cli import clean_environment  # noqa: F401  (autouse fixture)

pytestmark = pytest.mark.timeout(60)


def test_doctor_checks_callaba_alone(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CALLABA_URL", "sandbox")

    assert main(["db", "upgrade"]) == 0
    assert main(["doctor"]) == 0

    out = capsys.readouterr().out
    assert "ok    callaba: built-in sandbox: reachable, token accepted" in out
    # TrueConf is not configured, so nothing of it is checked (the line on
    # turning a messenger on may name TrueConf chat's settings).
    lines = out.splitlines()
    checks = [line[6:].split(":")[0] for line in lines if line[:6].rstrip() in ("ok", "warn")]
    assert checks
    assert not [name for name in checks if "trueconf" in name.lower() or "time zone" in name]


def test_doctor_reports_a_refused_token_without_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with CallabaSandbox() as sandbox:
        monkeypatch.setenv("CALLABA_URL", sandbox.base_url)
        monkeypatch.setenv("CALLABA_TOKEN", "wrong-token-never-shown")
        assert main(["db", "upgrade"]) == 0

        assert main(["doctor"]) == 1

    out = capsys.readouterr()
    assert "FAIL  callaba:" in out.out
    assert "callabaTokenRefused" in out.out
    assert "wrong-token-never-shown" not in out.out + out.err


def test_a_missing_token_and_a_wrong_default_are_named(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CALLABA_URL", "https://rooms.example.com")
    assert main(["console"]) == 2
    assert "CALLABA_TOKEN is not set" in capsys.readouterr().err

    monkeypatch.setenv("CALLABA_URL", "sandbox")
    monkeypatch.setenv("DEFAULT_BACKEND", "trueconf")
    assert main(["console"]) == 2
    assert "DEFAULT_BACKEND=trueconf but TRUECONF_SERVER_URL is not set" in (
        capsys.readouterr().err
    )
