"""Run every benchmark and collect the results in ``docs/benchmarks.md``.

    .venv/bin/python -m bench [name ...]

Each ``bench/<name>.py`` runs as ``python -m bench.<name>`` in its own process,
bounded by ``TIMEOUT`` seconds. A benchmark may write its own section to
``docs/bench/<name>.md`` (and its goals to ``docs/bench/<name>.json``);
otherwise its printed output becomes the section. ``docs/benchmarks.md`` is
then a summary of every goal and the sections, in the issue's order (``ORDER``)
and then by name, so adding a benchmark adds a section.
"""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = ROOT / "docs" / "bench"
OUTPUT = ROOT / "docs" / "benchmarks.md"
STOP_GRACE = 30.0  # seconds a stopped benchmark gets to clean up
TIMEOUT = 900.0  # seconds for one benchmark (reminders: about 8 minutes)
ORDER = (
    "slack_ack",
    "bridge_overhead",
    "command_cost",
    "trueconf_calls",
    "reminders",
    "telegram_burst",
    "telegram_replicas",
    "footprint",
    "callaba_rooms",
    "rule_corrections",
)
HEADER = """# Benchmarks

Measurements, not tests: `make bench` runs them all (`.venv/bin/python -m bench
[name ...]` runs some) and rewrites this file from `docs/bench/*.md`, plots
included. Each benchmark stops by itself, talks only to loopback, and says how
it was measured, on what machine, with which command. The machines are shared
and noisy: medians and p99 come from repeated runs, and comparisons are made
side by side in the same run.
"""


def names() -> list[str]:
    here = Path(__file__).resolve().parent
    found = {p.stem for p in here.glob("*.py") if not p.stem.startswith("_")}
    return [n for n in ORDER if n in found] + sorted(found - set(ORDER))


def stop_group(process: subprocess.Popen[str]) -> str:
    """Interrupt a benchmark's process group (its cleanup drops scratch
    databases), kill what is left after a grace period; return its output."""
    for sig, grace in ((signal.SIGINT, STOP_GRACE), (signal.SIGKILL, None)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            stdout, _ = process.communicate(timeout=grace)
        except subprocess.TimeoutExpired:
            continue
        return stdout or ""
    return ""


def run(name: str) -> tuple[bool, float]:
    section = SECTIONS / f"{name}.md"
    before = section.stat().st_mtime if section.exists() else None
    started = time.monotonic()
    print(f"== bench.{name}", flush=True)
    # Its own process group, so a benchmark stopped for time takes its worker
    # processes with it (left running, they held PostgreSQL's connections).
    process = subprocess.Popen(  # noqa: S603 (our own modules)
        [sys.executable, "-m", f"bench.{name}"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=TIMEOUT)
        code = process.returncode
    except subprocess.TimeoutExpired:
        stdout = stop_group(process)
        stderr = f"bench.{name}: stopped after {TIMEOUT:.0f} s\n"
        code = -1
    print(stdout, end="")
    print(stderr, end="", file=sys.stderr)
    seconds = time.monotonic() - started
    wrote = code == 0 and section.exists() and section.stat().st_mtime != before
    if not wrote:  # the benchmark only printed, or failed: its output is the section
        status = "" if code == 0 else f" (FAILED: exit status {code})"
        section.write_text(
            f"## {name}\n\n`.venv/bin/python -m bench.{name}`{status}, "
            f"{seconds:.0f} s\n\n```\n{stdout.strip()}\n```\n"
        )
        (SECTIONS / f"{name}.json").unlink(missing_ok=True)
    return code == 0, seconds


def whole_run(text: str) -> str:
    """The paragraph of ``docs/benchmarks.md`` that says when all of it last ran
    ("This file: …", up to the blank line after it), or "" if it has none."""
    start = text.find("\nThis file: ")
    if start < 0:
        return ""
    end = text.find("\n\n", start + 1)
    return text[start + 1 : end + 1 if end >= 0 else len(text)]


def summary(order: list[str]) -> str:
    rows = []
    for name in order:
        path = SECTIONS / f"{name}.json"
        goals = json.loads(path.read_text()) if path.exists() else []
        for goal in goals:
            met = {True: "met", False: "**missed**", None: "–"}[goal["met"]]
            rows.append(f"| `{name}` | {goal['goal']} | {goal['result']} | {met} |")
    if not rows:
        return ""
    return "\n".join(
        ["## Summary", "", "| benchmark | goal | result | |", "|---|---|---|---|", *rows, ""]
    )


def main(argv: list[str]) -> int:
    SECTIONS.mkdir(parents=True, exist_ok=True)
    chosen = argv or names()
    unknown = set(chosen) - set(names())
    if unknown:
        print(f"no such benchmark: {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    started = time.monotonic()
    results = {name: run(name) for name in chosen}  # every one runs, even after a failure
    wall = time.monotonic() - started
    everything = [n for n in names() if (SECTIONS / f"{n}.md").exists()]
    if argv:  # some sections only: the last full run's line still says what it was
        line = whole_run(OUTPUT.read_text()) if OUTPUT.exists() else ""
    else:
        each = ", ".join(f"`{n}` {s:.0f} s" for n, (_, s) in results.items())
        line = (
            f"This file: `make bench` ({shlex.join(['.venv/bin/python', '-m', 'bench'])}), "
            f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, **{wall:.0f} s** wall time in all "
            f"({each}).\n"
        )
    header = HEADER + (f"\n{line}" if line else "")
    parts = [header, summary(everything)]
    parts += [(SECTIONS / f"{n}.md").read_text() for n in everything]
    OUTPUT.write_text("\n".join(p for p in parts if p))
    print(f"wrote {OUTPUT.relative_to(ROOT)} in {wall:.0f} s")
    return 0 if all(ok for ok, _ in results.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
