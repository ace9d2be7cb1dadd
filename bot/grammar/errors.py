"""The grammar's internal failure signal.

Parsers deep in the call chain raise ``GrammarError``; ``parse`` turns it into a
``Usage`` at the single public entry point, so no caller ever sees it.
"""

from __future__ import annotations


class GrammarError(Exception):
    """Input the grammar cannot accept: a problem key, an example key, parameters."""

    def __init__(self, problem: str, example: str, **params: str) -> None:
        super().__init__(problem)
        self.problem = problem
        self.example = example
        self.params = dict(params)
