"""Writing a benchmark's section: Markdown tables, the exact command, verdicts.

A section lives in ``docs/bench/<name>.md`` (plots beside it as PNG); the
runner (``python -m bench``) joins the sections into ``docs/benchmarks.md``,
so links to plots are relative to ``docs/``.
"""

from __future__ import annotations

import json
import shlex
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = ROOT / "docs" / "bench"


def command(module: str, argv: Sequence[str] | None = None) -> str:
    """The command line that reproduces this run, as the reader would type it."""
    args = list(sys.argv[1:] if argv is None else argv)
    return shlex.join([".venv/bin/python", "-m", module, *args])


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def ms(seconds: float, digits: int = 1) -> str:
    return f"{seconds * 1000:.{digits}f}"


def verdict(met: bool) -> str:
    return "**met**" if met else "**missed**"


def plot_path(name: str) -> Path:
    SECTIONS.mkdir(parents=True, exist_ok=True)
    return SECTIONS / f"{name}.png"


def image(name: str, alt: str) -> str:
    """A Markdown image of ``docs/bench/<name>.png``, as seen from ``docs/``."""
    return f"![{alt}](bench/{name}.png)"


@dataclass(frozen=True)
class Goal:
    """One line of the summary atop ``docs/benchmarks.md``."""

    goal: str
    result: str
    met: bool | None  # None: nothing to meet, a measurement only


def write_section(name: str, text: str, goals: Sequence[Goal] = ()) -> Path:
    """``docs/bench/<name>.md``, and its goals as ``docs/bench/<name>.json``."""
    SECTIONS.mkdir(parents=True, exist_ok=True)
    path = SECTIONS / f"{name}.md"
    path.write_text(text.rstrip() + "\n")
    (SECTIONS / f"{name}.json").write_text(
        json.dumps([asdict(g) for g in goals], ensure_ascii=False, indent=1) + "\n"
    )
    print(text)
    return path
