"""``make demo MESSENGER=trueconf``: a group chat of the sandbox's people with
the bot, in the console, the bot running through the real library."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.demo import run_demo

pytestmark = pytest.mark.timeout(90)


def test_the_group_gets_a_card_and_the_calendar_file(tmp_path: Path) -> None:
    script = "\n".join(
        [
            "/meet tomorrow 15:00 Design review @bob",
            "/press Add to calendar",
            "/press",
            "/join 1",
            "/as zed",
            "/as bob",
            "/dm",
            "/meet link bob",
            "",
        ]
    )
    result = run_demo(tmp_path, script, "--messenger", "trueconf_chat", zone=None)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "[Team] Meeting #1 scheduled" in out
    assert "[Join] [Open in TrueConf app] [Add to calendar]" in out
    assert "(file Design review.ics" in out
    assert "[bot -> Bob Baker] Nothing to link here" in out
    assert "/press takes a button's label" in out
    assert "/as takes one of: alice, bob, carol" in out
    assert "you are zed" not in out
    assert "/join is the console demo's (make demo)" in out
    assert "(no answer)" not in out
    assert "Traceback" not in result.stderr


def test_a_line_without_meet_in_the_group_is_told_at_once(tmp_path: Path) -> None:
    # Typed as in `make demo`, "now Standup" waited 15 s for the bot, which
    # reads only /meet lines in a group, and printed "(no answer)".
    script = "now Standup\n/meet now Standup\n"
    result = run_demo(tmp_path, script, "--messenger", "trueconf_chat", zone=None)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "(no answer)" not in out
    assert "in a group the bot reads only lines that start with /meet: /meet now Standup" in out
    assert "[Team] Meeting #1 is on now" in out
