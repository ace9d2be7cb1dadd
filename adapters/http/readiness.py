"""``GET /readyz``: is this process able to serve? Each check is named in
the answer; 200 when all pass, 503 otherwise.

Checks run side by side, each under a timeout, so the probe always answers
promptly; the answer is reused for a few seconds, so a probe every second
does not turn into a call to the conference server every second. Once the
process is stopping, the answer is 503 at once, naming ``shutdown``: a load
balancer still probing a connection kept open sends nothing new here.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

DETAIL_LIMIT = 200
STOPPING_DETAIL = "stopping: finishing the work in flight"


@dataclass(frozen=True, slots=True)
class CheckResult:
    ok: bool
    detail: str


@dataclass(frozen=True, slots=True)
class Check:
    """``probe`` answers a ``CheckResult``, or raises: an exception is a
    failed check whose detail is the exception's first line."""

    name: str
    probe: Callable[[], Awaitable[CheckResult]]


def passed(detail: str) -> CheckResult:
    return CheckResult(True, detail)


def failed(detail: str) -> CheckResult:
    return CheckResult(False, detail)


class Readiness:
    def __init__(
        self,
        checks: Sequence[Check],
        *,
        cache_seconds: float = 5.0,
        timeout: float = 3.0,
        redact: Callable[[str], str] = lambda text: text,
        clock: Callable[[], float] = time.monotonic,
        stopping: Callable[[], bool] = lambda: False,
    ) -> None:
        self._checks = list(checks)
        self._stopping = stopping
        self._cache_seconds = cache_seconds
        self._timeout = timeout
        self._redact = redact
        self._clock = clock
        self._lock = asyncio.Lock()
        self._answer: dict[str, Any] | None = None
        self._expires = 0.0

    @property
    def names(self) -> list[str]:
        return [check.name for check in self._checks]

    async def answer(self) -> dict[str, Any]:
        """``{"status": "ok"|"failing", "checks": {name: {"ok", "detail"}}}``."""
        if self._stopping():  # at once: neither the cache nor a slow check delays it
            shutdown = {"ok": False, "detail": STOPPING_DETAIL}
            return {"status": "failing", "checks": {"shutdown": shutdown}}
        async with self._lock:  # probes at the same moment share one round of checks
            if self._answer is None or self._clock() >= self._expires:
                self._answer = await self._evaluate()
                self._expires = self._clock() + self._cache_seconds
            return self._answer

    async def _evaluate(self) -> dict[str, Any]:
        results = await asyncio.gather(*(self._run(check) for check in self._checks))
        checks = {
            check.name: {"ok": result.ok, "detail": result.detail}
            for check, result in zip(self._checks, results, strict=True)
        }
        ok = all(result.ok for result in results)
        return {"status": "ok" if ok else "failing", "checks": checks}

    async def _run(self, check: Check) -> CheckResult:
        try:
            result = await asyncio.wait_for(check.probe(), self._timeout)
        except TimeoutError:
            result = failed(f"no answer within {self._timeout:g}s")
        except Exception as exc:  # any failure is a finding, never a 500
            text = str(exc).strip().splitlines()
            result = failed(f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__)
        detail = self._redact(result.detail)
        if len(detail) > DETAIL_LIMIT:
            detail = detail[: DETAIL_LIMIT - 1] + "…"
        return CheckResult(result.ok, detail)


class ReadinessComponent:
    """Mounts ``/readyz``; ``close`` runs on stop (a check's own connection pool)."""

    name = "readiness"

    def __init__(
        self, readiness: Readiness, close: Callable[[], Awaitable[None]] | None = None
    ) -> None:
        self.readiness = readiness
        self._close = close

    @property
    def routes(self) -> Sequence[BaseRoute]:
        return [Route("/readyz", self._readyz, methods=["GET"])]

    async def _readyz(self, request: Request) -> JSONResponse:
        answer = await self.readiness.answer()
        return JSONResponse(answer, status_code=200 if answer["status"] == "ok" else 503)

    async def start(self) -> None:
        pass

    async def stop(self) -> None:
        if self._close is not None:
            await self._close()
