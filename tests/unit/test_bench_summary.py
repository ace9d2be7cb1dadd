"""The benchmark runner keeps the line that says when all of
``docs/benchmarks.md`` last ran when it regenerates some sections only."""

from __future__ import annotations

from bench.__main__ import HEADER, whole_run


def test_the_whole_run_line_is_found_up_to_the_blank_line() -> None:
    line = "This file: `make bench`, 2026-12-03 14:55 UTC,\n**500 s** in all.\n"
    text = f"{HEADER}\n{line}\n## Summary\n\n| a |\n"
    assert whole_run(text) == line


def test_a_file_without_it_gives_nothing() -> None:
    assert whole_run(f"{HEADER}\n## Summary\n\nThis file is not it: no line start.\n") == ""


def test_it_runs_to_the_end_of_a_file_without_a_blank_line_after_it() -> None:
    assert whole_run("# B\n\nThis file: all of it.\n") == "This file: all of it.\n"
