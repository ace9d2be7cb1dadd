"""The grammar's internal signals.

Parsers deep in the call chain raise ``GrammarError`` or ``Ambiguous``; ``parse``
turns them into a ``Usage`` or a ``Question`` at the single public entry point,
so no caller ever sees them.
"""

from __future__ import annotations


class GrammarError(Exception):
    """Input the grammar cannot accept: a problem key, an example key, parameters.

    ``suggestion`` is the person's own line put right (without ``/meet``), shown
    instead of the stock example when the parser could build one.
    """

    def __init__(self, problem: str, example: str, *, suggestion: str = "", **params: str) -> None:
        super().__init__(problem)
        self.problem = problem
        self.example = example
        self.suggestion = suggestion
        self.params = dict(params)


class Ambiguous(Exception):
    """Tokens ``first`` to ``last`` (exclusive) have more than one fair reading.

    ``readings`` are the replacements that say each one exactly ("03:00",
    "15:00"); the parser writes the line out once per reading and asks which.
    ``confirm``: asked even when one reading is left (a date that has just
    passed, read as the next one: likely a slip, never taken unasked).
    ``params``: what the question names besides the words read two ways.
    """

    def __init__(
        self,
        problem: str,
        *,
        first: int,
        last: int,
        readings: tuple[str, ...],
        confirm: bool = False,
        params: dict[str, str] | None = None,
    ) -> None:
        super().__init__(problem)
        self.problem = problem
        self.first = first
        self.last = last
        self.readings = readings
        self.confirm = confirm
        self.params = dict(params or {})

    def shifted(self, by: int) -> Ambiguous:
        """The same, for tokens read from ``by`` places further on (a parser
        given the tokens after a command word)."""
        return Ambiguous(
            self.problem,
            first=self.first + by,
            last=self.last + by,
            readings=self.readings,
            confirm=self.confirm,
            params=self.params,
        )
