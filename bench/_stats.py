"""Percentiles and the summaries every benchmark reports.

Nearest-rank percentiles (no interpolation), so a reported p99 is a value that
was actually measured. Repeated runs are summarised as the median of the
per-run medians (robust to one noisy run) and the p99 of all samples pooled
(a p99 needs many samples), with the spread of the run medians beside them.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass


def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank ``q`` quantile (0 < q <= 1) of non-empty ``values``."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = max(1, math.ceil(q * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True, slots=True)
class Summary:
    n: int
    p50: float
    p99: float
    max: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Summary:
        return cls(len(values), statistics.median(values), percentile(values, 0.99), max(values))


@dataclass(frozen=True, slots=True)
class Repeated:
    """Several runs of the same measurement."""

    runs: int
    n: int  # samples over all runs
    p50: float  # median of the run medians
    p50_low: float  # the lowest and highest run median
    p50_high: float
    p99: float  # of all samples pooled
    max: float

    @classmethod
    def of(cls, runs: Sequence[Sequence[float]]) -> Repeated:
        kept = [run for run in runs if run]
        if not kept:
            raise ValueError("no samples in any run")
        medians = [statistics.median(run) for run in kept]
        pooled = [v for run in kept for v in run]
        return cls(
            runs=len(kept),
            n=len(pooled),
            p50=statistics.median(medians),
            p50_low=min(medians),
            p50_high=max(medians),
            p99=percentile(pooled, 0.99),
            max=max(pooled),
        )
