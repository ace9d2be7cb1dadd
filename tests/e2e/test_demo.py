"""``meetbridge demo`` as a newcomer runs it: a piped line in, a full reply out."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.demo import Console, run_demo

pytestmark = pytest.mark.timeout(90)
MAKE = shutil.which("make") or ""


def test_weekly_meeting_reply_has_every_join_string(tmp_path: Path) -> None:
    result = run_demo(tmp_path, "/meet weekly mon,wed 10:00 for 30m Standup @alice @bob\n")

    assert result.returncode == 0, result.stderr
    out = result.stdout
    conference_id = re.search(r"Conference ID: (\d{10})", out)
    assert conference_id, out
    cid = conference_id.group(1)
    assert f"/c/{cid}" in out
    assert f"/webrtc/{cid}" in out
    assert re.search(rf"trueconf:\\c\\{cid}@", out), out
    assert re.search(rf"intent:\\c\\{cid}%40.*#Intent;scheme=trueconf;", out), out
    assert re.search(rf"00{cid}@\S+", out), out  # SIP
    assert re.search(rf"##00{cid}", out), out  # H.323
    assert "Invited: alice, bob" in out
    assert re.search(
        r"Mon, Wed at 10:00 \(Europe/Moscow\); next: \w{3} \d+ \w{3} \d{4}, 10:00", out
    )
    assert "Traceback" not in out + result.stderr
    assert (tmp_path / "var" / "demo.db").is_file()


def test_a_session_lists_its_meetings_and_explains_bad_input(tmp_path: Path) -> None:
    script = (
        "/meet tomorrow 15:00 for 1h Design review @carol\n"
        "/meet list\n"
        "/meet weekly someday 10:00 Oops\n"
    )
    result = run_demo(tmp_path, script)

    assert result.returncode == 0, result.stderr
    assert "#1 Design review" in result.stdout
    assert "someday" in result.stdout  # the error names the word it did not understand
    assert "/meet weekly" in result.stdout  # and shows one right example


def test_each_demo_starts_fresh_like_its_sandbox(tmp_path: Path) -> None:
    assert run_demo(tmp_path, "/meet now Call\n").returncode == 0

    again = run_demo(tmp_path, "/meet list\n")

    assert "No meetings scheduled here" in again.stdout


def test_make_demo_from_the_repository_root() -> None:
    """The README's command itself, as a newcomer pipes into it."""
    root = Path(__file__).resolve().parents[2]
    assert MAKE, "make is not installed"
    result = subprocess.run(
        [MAKE, "-s", "demo"],
        input="/meet weekly mon,wed 10:00 for 30m Standup @alice @bob\n",
        capture_output=True,
        text=True,
        cwd=root,
        env={k: v for k, v in os.environ.items() if not k.startswith("MAKE")},
        timeout=80,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert re.search(r"Conference ID: \d{10}", result.stdout), result.stdout
    assert "Invited: alice, bob" in result.stdout


def test_the_demo_shows_a_card_going_live_and_a_summary(tmp_path: Path) -> None:
    console = Console(tmp_path)
    try:
        console.type("/meet now Sync @alice")
        at = console.wait_for("Running now, nobody in yet")
        console.type("/as alice")
        console.type("/join 1")
        at = console.wait_for("(@alice joined meeting #1 in the sandbox)", after=at)
        at = console.wait_for("~ card 1 changed:", after=at)
        at = console.wait_for("Running now: 1 in — Alice Archer", after=at)
        console.type("/join 7")
        at = console.wait_for("! There is no meeting 7 in this chat", after=at)
        console.type("/join")
        at = console.wait_for("! /join takes the number of a meeting of this chat", after=at)
        console.type("/as")
        at = console.wait_for("! /as takes a name", after=at)
        console.type("/as bob")
        console.type("/leave 1")
        at = console.wait_for("! @bob is not in meeting #1: /join 1 walks in", after=at)
        console.type("/as alice")
        console.type("/meet stop 1")
        at = console.wait_for("■ Ended", after=at)
        at = console.wait_for("Meeting #1 “Sync” has ended", after=at)
        console.wait_for("Joined: Alice Archer", after=at)
    finally:
        console.close()
    assert console.process.returncode == 0, console.out
    assert "Traceback" not in console.out


def test_list_mine_in_the_console_has_no_empty_button_rows(tmp_path: Path) -> None:
    """The console has no buttons: a line of `list mine` is not followed by a
    row of none (a line of spaces)."""
    result = run_demo(tmp_path, "/meet tomorrow 15:00 Sync\n/meet list mine\n")

    assert result.returncode == 0, result.stderr
    assert "#1 Sync" in result.stdout
    assert [line for line in result.stdout.splitlines() if line and not line.strip()] == []


def test_a_private_answer_is_marked_in_the_chats_language(tmp_path: Path) -> None:
    # The console's own mark of an answer for one person was English in a
    # Russian chat, beside the catalogue's Russian.
    result = run_demo(tmp_path, "/meet list mine\n/meet lang ru\n/meet list mine\n")

    assert result.returncode == 0, result.stderr
    english, russian = result.stdout.split("/meet lang ru")
    assert "(only you see this)" in english
    assert "(видите только вы)" in russian
    assert "only you see this" not in russian
