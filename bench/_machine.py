"""What a benchmark ran on: one line for each section, since numbers mean
little without the machine (and its load: other work shares these cores)."""

from __future__ import annotations

import os
import platform
import subprocess
from pathlib import Path

from bench._pg import server_version

ROOT = Path(__file__).resolve().parent.parent


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _ram_gib() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return 0.0


def _commit() -> str:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607 (the developer's git)
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return done.stdout.strip()


async def describe() -> str:
    """``Machine: … · load average … · commit …`` as one Markdown paragraph."""
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"Machine: {_cpu_model()}, {os.cpu_count()} cores, {_ram_gib():.0f} GiB RAM, "
        f"Linux {platform.release()}; Python {platform.python_version()}; "
        f"PostgreSQL {await server_version()}. Load average at start: {load} "
        f"(the cores are shared with other work, so absolute numbers are noisy; "
        f"ratios are measured side by side). Commit `{_commit()}`."
    )
