"""How often the grammar breaks its rule on mutated command lines.

    .venv/bin/python -m bench.grammar_mutations [--seed 23] [--count 10000] [--show 20]
    .venv/bin/python -m bench.grammar_mutations --source /path/to/other/checkout

The rule: every answer is a result, a question, or an error that quotes a
visible token present in the input; no meeting at a guessed hour; no topic
that swallowed a time (``tests/support/grammar_mutations.py`` has the
generator and the rule). ``--source`` measures another checkout's ``bot``
package with the same generator, e.g. an older commit exported with
``git archive``, so rates before and after compare like for like.
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
from collections.abc import Callable

from tests.support import grammar_mutations


def _parse_of_this_version() -> Callable[..., object]:
    # The command catalogue offers ``parse``; before it, the grammar did.
    try:
        from bot.catalogue import parse
    except ImportError:
        from bot.grammar import parse  # type: ignore[attr-defined,no-redef]
    return parse


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=23)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--show", type=int, default=0, help="print this many failures")
    parser.add_argument("--source", help="a checkout whose bot package to measure")
    args = parser.parse_args(argv)
    if args.source:
        sys.path.insert(0, args.source)
    parse = _parse_of_this_version()  # after --source: the package to measure
    print(f"grammar of {args.source or 'this checkout'}")

    started = time.monotonic()
    failures = grammar_mutations.run(parse, args.seed, args.count)
    seconds = time.monotonic() - started
    rate = len(failures) / args.count
    print(
        f"seed {args.seed}, {args.count} lines: {len(failures)} broke the rule "
        f"({rate:.2%}) in {seconds:.1f} s"
    )
    for why, n in collections.Counter(f.why for f in failures).most_common(12):
        print(f"  {n:6d}  {why}")
    for failure in failures[: args.show]:
        print(f"{failure.text!r}\n    -> {failure.answer!r}\n    ({failure.why} {failure.detail})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
