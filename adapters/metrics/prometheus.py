"""Prometheus metrics of one bridge process, in a registry the app owns
(never prometheus-client's process-wide default registry)."""

from __future__ import annotations

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    GCCollector,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)

# Commands wait on a conference server; reminders on a timer and a messenger.
COMMAND_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
BACKEND_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
LAG_BUCKETS = (0.1, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0, 3600.0)


class PrometheusMetrics:
    """Implements ``bot.metrics.Metrics``."""

    def __init__(
        self,
        registry: CollectorRegistry | None = None,
        *,
        build: tuple[str, str] = ("0+unknown", "unknown"),
    ) -> None:
        """``build``: the version and commit ``meetbridge_build_info`` names."""
        self.registry = registry or CollectorRegistry(auto_describe=True)
        r = self.registry
        # The process (CPU, memory, open files), the Python runtime and its
        # garbage collector, as every Python exporter shows them.
        ProcessCollector(registry=r)
        PlatformCollector(registry=r)
        GCCollector(registry=r)
        info = Gauge(
            "meetbridge_build_info",
            "Always 1; the labels say which meetbridge this process runs",
            ["version", "commit"],
            registry=r,
        )
        info.labels(*build).set(1)
        self._commands = Counter(
            "meetbridge_commands", "Commands served", ["kind", "outcome"], registry=r
        )
        self._command_seconds = Histogram(
            "meetbridge_command_duration_seconds",
            "Time to serve a command, from parsing to the reply",
            ["kind"],
            buckets=COMMAND_BUCKETS,
            registry=r,
        )
        self._backend_seconds = Histogram(
            "meetbridge_backend_request_duration_seconds",
            "Conference server (TrueConf, Callaba) HTTP calls",
            ["backend", "endpoint", "status"],
            buckets=BACKEND_BUCKETS,
            registry=r,
        )
        self._refreshes = Counter(
            "meetbridge_token_refreshes", "Access tokens fetched", ["backend"], registry=r
        )
        self._reminders = Counter(
            "meetbridge_reminders",
            "Reminders finished: sent, late, expired, failed",
            ["outcome"],
            registry=r,
        )
        self._lag = Histogram(
            "meetbridge_reminder_lag_seconds",
            "From a reminder's due time to its send",
            buckets=LAG_BUCKETS,
            registry=r,
        )
        self._waits = Counter(
            "meetbridge_rate_limiter_waits",
            "Outgoing messages held back by a rate limit",
            ["platform"],
            registry=r,
        )
        self._waited = Counter(
            "meetbridge_rate_limiter_wait_seconds",
            "Time outgoing messages spent held back by a rate limit",
            ["platform"],
            registry=r,
        )
        self._in_progress = Gauge(
            "meetbridge_http_requests_in_progress",
            "HTTP requests the service is answering right now",
            registry=r,
        )
        self._dependency_up = Gauge(
            "meetbridge_dependency_up",
            "1 when the last check of an outside service (conference server, messenger API) "
            "passed, 0 when it failed",
            ["name"],
            registry=r,
        )
        self._dependency_seconds = Gauge(
            "meetbridge_dependency_check_seconds",
            "How long the last check of an outside service took",
            ["name"],
            registry=r,
        )
        self._pruned = Counter(
            "meetbridge_retention_pruned_rows",
            "Rows deleted for being older than RETENTION_DAYS",
            ["table"],
            registry=r,
        )
        # Known label values from the start, so a dashboard shows zeros, not gaps.
        for outcome in ("sent", "late", "expired", "failed"):
            self._reminders.labels(outcome)

    def command_handled(self, kind: str, outcome: str, seconds: float) -> None:
        self._commands.labels(kind, outcome).inc()
        self._command_seconds.labels(kind).observe(seconds)

    def backend_request(self, backend: str, endpoint: str, status: str, seconds: float) -> None:
        self._backend_seconds.labels(backend, endpoint, status).observe(seconds)

    def token_refreshed(self, backend: str) -> None:
        self._refreshes.labels(backend).inc()

    def reminder_finished(self, outcome: str, lag_seconds: float | None) -> None:
        self._reminders.labels(outcome).inc()
        if lag_seconds is not None:
            self._lag.observe(max(0.0, lag_seconds))

    def rate_limiter_waited(self, platform: str, seconds: float) -> None:
        self._waits.labels(platform).inc()
        self._waited.labels(platform).inc(max(0.0, seconds))

    def dependency_checked(self, name: str, up: bool, seconds: float) -> None:
        self._dependency_up.labels(name).set(1 if up else 0)
        self._dependency_seconds.labels(name).set(seconds)

    def rows_pruned(self, table: str, count: int) -> None:
        self._pruned.labels(table).inc(count)

    def http_request_started(self) -> None:
        self._in_progress.inc()

    def http_request_finished(self) -> None:
        self._in_progress.dec()

    def exposition(self) -> bytes:
        """The text format Prometheus scrapes."""
        return generate_latest(self.registry)
