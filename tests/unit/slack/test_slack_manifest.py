"""The app manifest asks for exactly the scopes the code needs and subscribes
to exactly the events the app listens to."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from adapters.slack.scopes import BOT_SCOPES

pytestmark = pytest.mark.timeout(10)

MANIFEST = Path(__file__).resolve().parents[3] / "deploy" / "slack" / "manifest.yaml"


def _list_after(key: str, text: str) -> list[str]:
    """The ``- item`` lines right under ``key:`` (comments dropped)."""
    block = re.search(rf"^(\s*){key}:\n((?:\1\s+- .*\n)+)", text, re.MULTILINE)
    assert block is not None, key
    return [line.split("#")[0].strip()[2:].strip() for line in block[2].splitlines()]


def test_manifest_scopes_are_the_ones_the_app_asks_for() -> None:
    text = MANIFEST.read_text(encoding="utf-8")
    assert _list_after("bot", text) == list(BOT_SCOPES)


def test_manifest_events_are_the_ones_the_app_handles() -> None:
    text = MANIFEST.read_text(encoding="utf-8")
    assert set(_list_after("bot_events", text)) == {
        "app_home_opened",
        "app_uninstalled",
        "tokens_revoked",
    }
    assert "command: /meet" in text
    assert "should_escape: true" in text
