"""METRICS_TOKEN as the admin meets it: doctor warns, in one line naming
it, when serve would answer /metrics beyond loopback to anyone; serve's
start says it once; the token shows in no output, repr or message."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from bot.errors import ConfigError
from meetbridge.cli import main
from meetbridge.config import load_config
from meetbridge.serve import warn_of_settings
from tests.support.metrics_auth import TOKEN
from tests.support.serve import settings_from_nowhere

# Only named: nothing here listens.
EVERYWHERE = "0.0.0.0"  # noqa: S104


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    settings_from_nowhere(monkeypatch, tmp_path)
    monkeypatch.setenv("TRUECONF_SERVER_URL", "sandbox")
    monkeypatch.setenv("TRUECONF_OWNER", "admin")


def _doctor(capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    main(["doctor"])
    text = capsys.readouterr()
    main(["doctor", "--json"])
    as_json = capsys.readouterr()
    return text.out + text.err, as_json.out + as_json.err


def test_doctor_warns_once_when_metrics_are_open_beyond_loopback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HOST", EVERYWHERE)
    text, as_json = _doctor(capsys)
    named = [line for line in text.splitlines() if "METRICS_TOKEN" in line]
    assert len(named) == 1, text
    assert named[0].startswith("warn")
    assert f"{EVERYWHERE}:8080" in named[0]
    checks = json.loads(as_json)["checks"]
    assert [c for c in checks if "METRICS_TOKEN" in c["detail"]]


def test_doctor_warns_when_works_metrics_are_open_beyond_loopback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """deploy/kubernetes/work listens on the pod's address: without the
    token its /metrics answers anyone, as serve's would."""
    monkeypatch.setenv("HOST", "127.0.0.1")
    monkeypatch.setenv("WORK_METRICS_PORT", "9100")
    monkeypatch.setenv("WORK_METRICS_HOST", EVERYWHERE)
    text, _ = _doctor(capsys)
    named = [line for line in text.splitlines() if "METRICS_TOKEN" in line]
    assert len(named) == 1, text
    assert named[0].startswith("warn")
    assert f"{EVERYWHERE}:9100" in named[0]
    assert "meetbridge work" in named[0]

    monkeypatch.setenv("METRICS_TOKEN", TOKEN)
    text, _ = _doctor(capsys)
    assert "METRICS_TOKEN" not in text


def test_doctor_says_nothing_of_it_on_loopback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HOST", "127.0.0.1")
    text, _ = _doctor(capsys)
    assert "METRICS_TOKEN" not in text


def test_doctor_never_shows_the_token(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HOST", EVERYWHERE)
    monkeypatch.setenv("METRICS_TOKEN", TOKEN)
    text, as_json = _doctor(capsys)
    assert TOKEN not in text + as_json
    assert not [line for line in text.splitlines() if "METRICS_TOKEN" in line and "warn" in line]


def test_serve_says_it_once_at_start_when_open_beyond_loopback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    config = load_config(env_file=None)
    with caplog.at_level(logging.INFO):
        warn_of_settings(config, host=EVERYWHERE)
    named = [r for r in caplog.records if "METRICS_TOKEN" in r.getMessage()]
    assert len(named) == 1
    assert named[0].levelno == logging.WARNING
    caplog.clear()
    for host in ("127.0.0.1", "::1", "localhost"):
        warn_of_settings(config, host=host)
    assert not [r for r in caplog.records if "METRICS_TOKEN" in r.getMessage()]
    caplog.clear()
    warn_of_settings(config.with_values(metrics_token=TOKEN), host=EVERYWHERE)
    assert not [r for r in caplog.records if "METRICS_TOKEN" in r.getMessage()]


def test_the_token_is_kept_out_of_reprs_and_counted_a_secret() -> None:
    config = load_config(env_file=None, metrics_token=TOKEN)
    assert TOKEN not in repr(config.core)
    assert TOKEN not in str(config.core)
    assert TOKEN in set(config.secrets())  # the log filter masks it


@pytest.mark.parametrize("given", ["two words", "tab\there", "naïve-token"])
def test_a_token_a_header_cannot_carry_is_refused_without_showing_it(given: str) -> None:
    with pytest.raises(ConfigError) as raised:
        load_config(env_file=None, metrics_token=given)
    message = str(raised.value)
    assert "METRICS_TOKEN" in message
    assert given not in message


@pytest.mark.parametrize("given", ["change-me", "abc", "0123456789abcde"])
def test_a_token_too_short_to_keep_metrics_private_is_refused_without_showing_it(
    given: str,
) -> None:
    # From a new admin's trial: METRICS_TOKEN=change-me, the .env.example's
    # line uncommented, was taken, and so was "abc" (a secret under 8
    # characters is not even masked in logs); doctor said "settings: valid".
    with pytest.raises(ConfigError) as raised:
        load_config(env_file=None, metrics_token=given)
    message = str(raised.value)
    assert "METRICS_TOKEN" in message
    assert "16" in message
    assert "openssl rand -hex 32" in message
    assert given not in message
    sixteen = "0123456789abcdef"
    token = load_config(env_file=None, metrics_token=sixteen).core.metrics_token
    assert token is not None
    assert token.get_secret_value() == sixteen


def test_surrounding_whitespace_is_dropped_as_prometheus_drops_it_from_a_file() -> None:
    config = load_config(env_file=None, metrics_token=f"  {TOKEN}\n")
    token = config.core.metrics_token
    assert token is not None
    assert token.get_secret_value() == TOKEN
    assert load_config(env_file=None, metrics_token="").core.metrics_token is None


def test_doctor_says_a_wrong_token_once_without_showing_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Read as unset for the other checks, it is not warned of again as unset
    (stderr says it too, as for every command)."""
    monkeypatch.setenv("HOST", EVERYWHERE)
    monkeypatch.setenv("METRICS_TOKEN", "two words")
    assert main(["doctor"]) == 2
    said = capsys.readouterr()
    named = [line for line in said.out.splitlines() if "METRICS_TOKEN" in line]
    assert len(named) == 1, said.out
    assert named[0].startswith("FAIL")
    assert "two words" not in said.out + said.err


@pytest.mark.parametrize(
    "given",
    ["change-me-use-openssl-rand-hex-32", "CHANGE-ME-0123456789abcdef", "x-change-me-x-0123"],
)
def test_the_placeholder_of_env_example_is_refused_whatever_its_length(given: str) -> None:
    # From a new admin's trial: the .env.example's METRICS_TOKEN line,
    # uncommented, holds 33 characters, so the length rule took it and
    # doctor passed: a token everyone who reads the example knows.
    with pytest.raises(ConfigError) as raised:
        load_config(env_file=None, metrics_token=given)
    message = str(raised.value)
    assert "METRICS_TOKEN" in message
    assert "placeholder" in message
    assert "openssl rand -hex 32" in message
    assert given not in message
