"""Run every benchmark and collect the results in ``docs/benchmarks.md``.

    .venv/bin/python -m bench [name ...]

Each ``bench/<name>.py`` runs as ``python -m bench.<name>`` in its own process.
A benchmark may write its own section to ``docs/bench/<name>.md``; otherwise
its printed output becomes the section. ``docs/benchmarks.md`` is then the
sections in name order, so adding a benchmark adds a section.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = ROOT / "docs" / "bench"
OUTPUT = ROOT / "docs" / "benchmarks.md"
HEADER = """# Benchmarks

Measurements, not tests: `make bench` runs them all (`.venv/bin/python -m bench
[name ...]` runs some) and rewrites this file from `docs/bench/*.md`.
Numbers depend on the machine; each section says how it was measured.
"""


def names() -> list[str]:
    here = Path(__file__).resolve().parent
    return sorted(p.stem for p in here.glob("*.py") if not p.stem.startswith("_"))


def run(name: str) -> bool:
    section = SECTIONS / f"{name}.md"
    before = section.stat().st_mtime if section.exists() else None
    started = time.monotonic()
    print(f"== bench.{name}", flush=True)
    result = subprocess.run(  # noqa: S603 (our own modules)
        [sys.executable, "-m", f"bench.{name}"], cwd=ROOT, capture_output=True, text=True
    )
    print(result.stdout, end="")
    print(result.stderr, end="", file=sys.stderr)
    seconds = time.monotonic() - started
    wrote = section.exists() and section.stat().st_mtime != before
    if not wrote:  # the benchmark only printed: its output is the section
        status = "" if result.returncode == 0 else f" (exit status {result.returncode})"
        section.write_text(
            f"## {name}\n\n`.venv/bin/python -m bench.{name}`{status}, "
            f"{seconds:.0f} s\n\n```\n{result.stdout.strip()}\n```\n"
        )
    return result.returncode == 0


def main(argv: list[str]) -> int:
    SECTIONS.mkdir(parents=True, exist_ok=True)
    chosen = argv or names()
    unknown = set(chosen) - set(names())
    if unknown:
        print(f"no such benchmark: {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    results = [run(name) for name in chosen]  # every one runs, even after a failure
    ok = all(results)
    parts = [HEADER] + [p.read_text() for p in sorted(SECTIONS.glob("*.md"))]
    OUTPUT.write_text("\n".join(parts))
    print(f"wrote {OUTPUT.relative_to(ROOT)}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
