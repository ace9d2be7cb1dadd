"""serve's /metrics adds its work process's counters and histograms to its
own: the same series summed, series only the child has kept, start times
(``_created``) and gauges left serve's own."""

from __future__ import annotations

from pathlib import Path

from prometheus_client import CollectorRegistry, Counter, generate_latest
from prometheus_client.metrics_core import Metric

from adapters.metrics.work_process import WithWorkProcess, summed


def family(kind: str, *samples: tuple[str, dict[str, str], float]) -> Metric:
    metric = Metric("meetbridge_commands", "Commands served", kind)
    for name, labels, value in samples:
        metric.add_sample(name, labels, value)
    return metric


def test_the_same_series_are_summed_and_the_childs_own_are_kept() -> None:
    serve = family(
        "counter",
        ("meetbridge_commands_total", {"kind": "new", "outcome": "ok"}, 1.0),
        ("meetbridge_commands_created", {"kind": "new", "outcome": "ok"}, 1700000000.0),
    )
    child = family(
        "counter",
        ("meetbridge_commands_total", {"kind": "new", "outcome": "ok"}, 2.0),
        ("meetbridge_commands_total", {"kind": "list", "outcome": "ok"}, 5.0),
        ("meetbridge_commands_created", {"kind": "new", "outcome": "ok"}, 1800000000.0),
    )
    values = {
        (s.name, tuple(sorted(s.labels.items()))): s.value for s in summed(serve, child).samples
    }
    assert values == {
        ("meetbridge_commands_total", (("kind", "new"), ("outcome", "ok"))): 3.0,
        ("meetbridge_commands_created", (("kind", "new"), ("outcome", "ok"))): 1700000000.0,
        ("meetbridge_commands_total", (("kind", "list"), ("outcome", "ok"))): 5.0,
    }


def test_with_no_child_files_serves_own_series_and_a_restricted_scrape(tmp_path: Path) -> None:
    own = CollectorRegistry()
    Counter("meetbridge_reminders", "Reminders", ["outcome"], registry=own).labels("sent").inc()
    Counter("meetbridge_other", "Other", registry=own).inc(4)
    merged = WithWorkProcess(own, tmp_path)
    text = generate_latest(merged).decode()
    assert 'meetbridge_reminders_total{outcome="sent"} 1.0' in text
    only = generate_latest(merged.restricted_registry(["meetbridge_other_total"])).decode()
    assert "meetbridge_other_total 4.0" in only
    assert "meetbridge_reminders" not in only
