"""The rule on mutated command lines (``tests/support/grammar_mutations.py``):
every answer is a result, a question, or an error quoting a visible token of
the input; no guessed hour, no time swallowed by a topic.

``.venv/bin/python -m bench.grammar_mutations --seed 23 --count 10000`` reports
the same rule's rate over more lines (and, with ``--source``, for another
checkout of the grammar).
"""

from __future__ import annotations

import pytest

from bot.catalogue import parse
from bot.commands import Question, Usage
from tests.support import grammar_mutations


@pytest.mark.parametrize("seed", [23, 2026])
def test_mutated_lines_keep_the_rule(seed: int) -> None:
    failures = grammar_mutations.run(parse, seed, 1500)
    assert failures == [], "\n".join(f"{f.text!r}: {f.why} {f.detail}" for f in failures[:10])


def test_the_generator_reaches_every_kind_of_answer() -> None:
    # A generator that only ever made errors (or only meetings) would prove little.
    answers = [
        parse(line, now=grammar_mutations.NOW, zone=grammar_mutations.ZONE)
        for line in grammar_mutations.lines(23, 1500)
    ]
    assert any(isinstance(a, Question) for a in answers)
    assert any(isinstance(a, Usage) for a in answers)
    assert any(not isinstance(a, (Question, Usage)) for a in answers)


def test_the_rule_refuses_an_invisible_quote_and_accepts_a_visible_one() -> None:
    def unknown(word: str) -> Usage:
        return Usage("grammar.unknown_command", "grammar.example.help", {"word": word})

    assert not grammar_mutations.judge("remin\x11d 2", unknown("remin\x11d"), parse).ok
    assert not grammar_mutations.judge("\u200b list", unknown("\u200b"), parse).ok
    assert not grammar_mutations.judge("frobnicate", unknown("frobnicat0r"), parse).ok
    assert grammar_mutations.judge("frobnicate 12", unknown("frobnicate"), parse).ok


def test_the_rule_refuses_a_guessed_hour_and_a_generic_error() -> None:
    guessed = parse("tomorrow at 15:00 Foo", now=grammar_mutations.NOW, zone=grammar_mutations.ZONE)
    assert not grammar_mutations.judge("tomorrow at 3 Foo", guessed, parse).ok
    generic = Usage("grammar.missing_time", "grammar.example.once", {})
    assert not grammar_mutations.judge("tomorrow", generic, parse).ok
