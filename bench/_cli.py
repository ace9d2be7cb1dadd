"""The command line the benchmarks share: the description is the first
paragraph of the module's docstring, and ``--quick`` swaps the sizes for a
short run that shows the shape of the figures, not the figures."""

from __future__ import annotations

import argparse


def arguments(doc: str | None, quick: str) -> argparse.ArgumentParser:
    """A benchmark's parser with ``--quick`` (``quick`` says what it runs)."""
    parser = argparse.ArgumentParser(description=(doc or "").split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help=quick)
    return parser


def block_arguments(parser: argparse.ArgumentParser, commands: int) -> None:
    """``--commands`` per block and ``--repeats`` of the blocks."""
    parser.add_argument("--commands", type=int, default=commands, help="commands per block")
    parser.add_argument("--repeats", type=int, default=3)


def parse(parser: argparse.ArgumentParser, **quick: object) -> argparse.Namespace:
    """The arguments given; under ``--quick``, the sizes in ``quick`` instead."""
    args = parser.parse_args()
    if args.quick:
        for name, value in quick.items():
            setattr(args, name, value)
    return args
