"""Test controls: the request log and the failures tests inject into answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class LoggedRequest:
    """One request as the sandbox saw it. ``endpoint`` is the route template,
    e.g. ``POST /conferences/{id}/invitations``; ``segments`` are decoded."""

    method: str
    path: str
    raw_path: str
    query: str
    segments: tuple[str, ...]
    endpoint: str
    at: datetime
    status: int
    authorization: str


@dataclass(slots=True)
class InjectedFailure:
    """Answer the next ``count`` matching requests with this failure instead.

    ``endpoint`` matches the route label exactly (``GET /users``) when given;
    otherwise any API request matches (the token endpoint only when named).
    ``body`` replaces the envelope; ``raw`` sends non-JSON bytes."""

    count: int = 1
    method: str | None = None
    endpoint: str | None = None
    status: int = 503
    reason: str = "serviceUnavailable"
    message: str = "Service Unavailable"
    body: Any = None
    raw: bytes | None = None

    def matches(self, method: str, endpoint: str) -> bool:
        if self.method is not None and self.method != method:
            return False
        if self.endpoint is not None:
            return endpoint == self.endpoint
        return not endpoint.endswith("/oauth2/v1/token")


class RequestControls:
    """The log and the pending failures. Not locked itself: ``SandboxState``
    holds its one lock around every call, as it does for the rest of its memory."""

    def __init__(self) -> None:
        self._failures: list[InjectedFailure] = []
        self._log: list[LoggedRequest] = []

    def inject(self, failure: InjectedFailure) -> None:
        self._failures.append(failure)

    def take(self, method: str, endpoint: str) -> InjectedFailure | None:
        for failure in self._failures:
            if failure.count > 0 and failure.matches(method, endpoint):
                failure.count -= 1
                return failure
        return None

    def record(self, entry: LoggedRequest) -> None:
        self._log.append(entry)

    def entries(self) -> list[LoggedRequest]:
        return list(self._log)

    def count(self, endpoint: str | None, method: str | None) -> int:
        return sum(
            1
            for e in self._log
            if (endpoint is None or e.endpoint == endpoint)
            and (method is None or e.method == method)
        )

    def clear(self) -> None:
        self._log.clear()
