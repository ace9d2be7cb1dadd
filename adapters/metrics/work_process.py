"""The counts of ``serve``'s work process, on ``serve``'s ``/metrics``.

The work process (``meetbridge work``, ``serve``'s child) does the commands
``serve`` acknowledged and sends their chats' reminders. It keeps its counters
and histograms in prometheus-client's multiprocess files, in a directory
``serve`` names for it (``PROMETHEUS_MULTIPROC_DIR``, set for the child only);
at each scrape ``serve`` adds them to its own families, so one scrape of
``serve`` still counts every command and reminder of the pair. A child that
died and was started again leaves its files: its counts stay in the sums, as
a counter must. Gauges stay each process's own (``serve``'s are shown)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from prometheus_client import CollectorRegistry
from prometheus_client.metrics_core import Metric
from prometheus_client.multiprocess import MultiProcessCollector

# The variable prometheus-client reads when it is imported.
MULTIPROCESS_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
SUMMED = frozenset({"counter", "histogram"})

SampleKey = tuple[str, tuple[tuple[str, str], ...]]


def work_process_directory() -> Path:
    """A new private directory for one child's files (mode 0700)."""
    return Path(tempfile.mkdtemp(prefix="meetbridge-metrics-"))


def remove_directory(directory: Path) -> None:
    shutil.rmtree(directory, ignore_errors=True)


class WithWorkProcess:
    """``serve``'s registry, its counters and histograms summed with the work
    process's; what prometheus-client's exposition asks of a registry."""

    def __init__(self, own: CollectorRegistry, directory: Path) -> None:
        self._own = own
        self._directory = directory

    def collect(self) -> Iterator[Metric]:
        theirs = {f.name: f for f in _families_in(self._directory) if f.type in SUMMED}
        for family in self._own.collect():
            other = theirs.get(family.name)
            yield family if other is None or family.type not in SUMMED else summed(family, other)

    def restricted_registry(self, names: Iterable[str]) -> _Restricted:
        """The scraper asked for some series only (``?name[]=…``)."""
        return _Restricted(self, frozenset(names))


def _families_in(directory: Path) -> list[Metric]:
    # prometheus-client leaves its multiprocess module unannotated.
    collector = MultiProcessCollector(None, path=str(directory))  # type: ignore[no-untyped-call]
    families: list[Metric] = list(collector.collect())  # type: ignore[no-untyped-call]
    return families


class _Restricted:
    def __init__(self, registry: WithWorkProcess, names: frozenset[str]) -> None:
        self._registry = registry
        self._names = names

    def collect(self) -> Iterator[Metric]:
        for family in self._registry.collect():
            kept = Metric(family.name, family.documentation, family.type, family.unit)
            kept.samples = [s for s in family.samples if s.name in self._names]
            if kept.samples:
                yield kept


def _key(name: str, labels: dict[str, str]) -> SampleKey:
    return name, tuple(sorted(labels.items()))


def summed(own: Metric, other: Metric) -> Metric:
    """``own``'s samples plus ``other``'s of the same series; series only
    ``other`` has are added after. ``_created`` stays ``own``'s: a start
    time is not a count."""
    theirs: dict[SampleKey, float] = {}
    for sample in other.samples:
        if not sample.name.endswith("_created"):
            key = _key(sample.name, sample.labels)
            theirs[key] = theirs.get(key, 0.0) + sample.value
    merged = Metric(own.name, own.documentation, own.type, own.unit)
    for sample in own.samples:
        extra = (
            0.0
            if sample.name.endswith("_created")
            else theirs.pop(_key(sample.name, sample.labels), 0.0)
        )
        merged.add_sample(sample.name, sample.labels, sample.value + extra)
    for (name, labels), value in theirs.items():
        merged.add_sample(name, dict(labels), value)
    return merged
