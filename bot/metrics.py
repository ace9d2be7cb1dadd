"""What the bridge counts and times, as a port: the core and the adapters
report through ``Metrics``; an adapter (Prometheus) implements it. The core
never imports a metrics library, and ``NoMetrics`` is the default everywhere
nothing is configured (the console, unit tests)."""

from __future__ import annotations

from typing import Protocol


class Metrics(Protocol):
    def command_handled(self, kind: str, outcome: str, seconds: float) -> None:
        """One command served; ``outcome`` is a small fixed set (see ``outcome_class``)."""
        ...

    def backend_request(self, backend: str, endpoint: str, status: str, seconds: float) -> None:
        """One HTTP call to a conference server; ``endpoint`` is a path template."""
        ...

    def token_refreshed(self, backend: str) -> None: ...

    def reminder_finished(self, outcome: str, lag_seconds: float | None) -> None:
        """A reminder row ended ``sent``, ``late``, ``expired`` or ``failed``;
        ``lag_seconds`` (due time to send) when it was sent."""
        ...

    def rate_limiter_waited(self, platform: str, seconds: float) -> None: ...

    def http_request_started(self) -> None: ...

    def http_request_finished(self) -> None: ...


class NoMetrics:
    """Counts nothing."""

    def command_handled(self, kind: str, outcome: str, seconds: float) -> None:
        pass

    def backend_request(self, backend: str, endpoint: str, status: str, seconds: float) -> None:
        pass

    def token_refreshed(self, backend: str) -> None:
        pass

    def reminder_finished(self, outcome: str, lag_seconds: float | None) -> None:
        pass

    def rate_limiter_waited(self, platform: str, seconds: float) -> None:
        pass

    def http_request_started(self) -> None:
        pass

    def http_request_finished(self) -> None:
        pass
