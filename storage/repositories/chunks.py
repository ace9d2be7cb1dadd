"""Batch reads in pieces: one statement per ``CHUNK`` ids keeps the bind
parameters bounded on either database."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")

CHUNK = 1000


def chunks(values: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for first in range(0, len(values), size):
        yield values[first : first + size]
