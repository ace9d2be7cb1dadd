""".env.example lists every setting, explained, with values the bridge accepts.

It is the template of `.env`, of systemd's environment file and of the
Kubernetes ConfigMap and Secret, so it must not drift from ``Settings``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.errors import ConfigError
from meetbridge.cli import main
from meetbridge.config import fields
from tests.deploy.tools import REPO, field_names, secret_names, settings_from
from tests.support.serve import environment_without_settings

ENV_EXAMPLE = REPO / ".env.example"
KEY_LINE = re.compile(r"^(?P<commented>#\s*)?(?P<key>[A-Z][A-Z0-9_]*)=(?P<value>.*)$")
# What docker-compose's env_file, systemd's EnvironmentFile and python-dotenv
# all read the same way: no quotes, spaces, escapes or variables.
PORTABLE_VALUE = re.compile(r"[^\s\"'`$\\]*")


@dataclass(frozen=True)
class Entry:
    key: str
    value: str
    commented: bool
    described: bool  # a prose comment stands in the block above it
    block: str  # the comment lines of its block, for what they say


def entries(path: Path = ENV_EXAMPLE) -> list[Entry]:
    found: list[Entry] = []
    block: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            block = []
            continue
        match = KEY_LINE.match(line)
        if match is None:
            block.append(line)
            continue
        found.append(
            Entry(
                key=match["key"],
                value=match["value"],
                commented=match["commented"] is not None,
                described=any(text.lstrip("# ").strip() for text in block),
                block="\n".join(block),
            )
        )
    return found


def test_every_setting_appears_and_every_key_is_a_setting() -> None:
    keys = {entry.key for entry in entries()}
    assert field_names() - keys == set(), "settings missing from .env.example"
    assert keys - field_names() == set(), "keys in .env.example that no setting reads"


def test_every_key_is_explained_by_a_comment() -> None:
    unexplained = [entry.key for entry in entries() if not entry.described]
    assert unexplained == []


def test_every_secret_is_marked_secret_and_left_as_a_placeholder() -> None:
    secret_keys = secret_names()
    assert "TRUECONF_CLIENT_SECRET" in secret_keys  # the rule below sees the secrets
    for entry in entries():
        if entry.key in secret_keys:
            assert "secret" in entry.block.lower(), f"{entry.key}'s comment does not say secret"
            assert "change-me" in entry.value, f"{entry.key} must hold a placeholder only"


def test_values_are_read_alike_by_compose_systemd_and_the_bridge() -> None:
    odd = [entry.key for entry in entries() if not PORTABLE_VALUE.fullmatch(entry.value)]
    assert odd == []


def test_the_active_lines_make_valid_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    active = {entry.key: entry.value for entry in entries() if not entry.commented}
    settings = settings_from(active, tmp_path, monkeypatch)
    assert settings.value("TRUECONF_SERVER_URL") == active["TRUECONF_SERVER_URL"]


# Secrets whose .env.example placeholder is refused at start: the line is
# there to be filled in, never taken as given.
REFUSED_PLACEHOLDERS = {"METRICS_TOKEN"}


def test_every_shown_value_is_accepted_and_defaults_are_the_real_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each line alone is a valid value, but a placeholder the bridge refuses
    (a token uncommented as given); a setting with a default shows that default."""
    shown: dict[str, list[object]] = {}
    for entry in entries():
        if entry.key in REFUSED_PLACEHOLDERS:
            with pytest.raises(ConfigError, match=entry.key):
                settings_from({entry.key: entry.value}, tmp_path, monkeypatch)
            continue
        settings = settings_from({entry.key: entry.value}, tmp_path, monkeypatch)
        value = settings.value(entry.key)
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        shown.setdefault(entry.key, []).append(value)
    for name, field in fields().items():
        if field.default not in (None, ""):
            assert field.default in shown[name], f"{name}: default {field.default!r}"


# doctor's checks that ask a server the example names by a placeholder
# (video.example.com, bridge.example.com): they fail wherever it is run.
PEER_CHECKS = {"trueconf", "PUBLIC_URL"}


def test_doctor_on_the_example_as_given_fails_only_at_its_placeholder_servers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # From a new user's trial of the README's first step (copy it to .env):
    # doctor failed on LINK_SECRET, which the example's own PUBLIC_URL requires
    # and the example left commented out.
    for name in os.environ.keys() - environment_without_settings().keys():
        monkeypatch.delenv(name)  # no bridge setting from the shell
    shutil.copy(ENV_EXAMPLE, tmp_path / ".env")
    monkeypatch.chdir(tmp_path)
    capsys.readouterr()
    main(["doctor", "--json"])
    checks = json.loads(capsys.readouterr().out)["checks"]
    failed = {check["name"]: check["detail"] for check in checks if not check["ok"]}
    assert failed.keys() <= PEER_CHECKS, failed
    assert list(tmp_path.iterdir()) == [tmp_path / ".env"]  # doctor created nothing
