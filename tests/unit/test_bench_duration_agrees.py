"""README and Makefile give `make bench` the same running time."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _minutes(text: str) -> set[str]:
    return set(re.findall(r"about (\d+) minutes", text))


def test_readme_and_makefile_agree_on_how_long_make_bench_takes() -> None:
    readme = [
        line for line in (ROOT / "README.md").read_text().splitlines() if "make bench" in line
    ]
    makefile = (ROOT / "Makefile").read_text().split("\nbench:")[0].rsplit("\n\n", 1)[-1]
    readme_minutes = set().union(*(_minutes(line) for line in readme))
    assert readme_minutes, "README gives no running time for make bench"
    assert _minutes(makefile) == readme_minutes
