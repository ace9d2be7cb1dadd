"""``GET /readyz``: may this process be sent traffic? 200 when all pass, 503
otherwise, and the body says so alone: what each check found goes to the log
when it changes (and the dependencies to ``/metrics``), for the operator.

Ready means this process can serve: its database is reachable and migrated,
its components have started, and it is not stopping. The outside services it
talks to (conference servers, messenger APIs) are *dependencies*: their state
is logged and in ``meetbridge_dependency_up``, but an
outage of theirs is the same on every replica, so it takes none of them out of
the load balancer (people then get the bridge's own answer, "the conference
server is unavailable", instead of a messenger's timeout). ``strict`` restores
the old behaviour: every dependency must pass too.

Checks run side by side, each under a timeout, so the probe always answers
promptly; the answer is reused for a few seconds, so a probe every second
does not turn into a call to the conference server every second. Once the
process is stopping, the answer is 503 at once: a load
balancer still probing a connection kept open sends nothing new here.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

log = logging.getLogger(__name__)

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


# Told of each dependency check: its name, whether it passed, how long it took.
Observe = Callable[[str, bool, float], None]


class Readiness:
    def __init__(
        self,
        checks: Sequence[Check],
        *,
        dependencies: Sequence[Check] = (),
        strict: bool = False,
        observe: Observe | None = None,
        cache_seconds: float = 5.0,
        timeout: float = 3.0,
        redact: Callable[[str], str] = lambda text: text,
        clock: Callable[[], float] = time.monotonic,
        stopping: Callable[[], bool] = lambda: False,
    ) -> None:
        self._checks = list(checks)
        self._dependencies = list(dependencies)
        self._strict = strict
        self._observe = observe
        self._stopping = stopping
        self._cache_seconds = cache_seconds
        self._timeout = timeout
        self._redact = redact
        self._clock = clock
        self._lock = asyncio.Lock()
        self._answer: dict[str, Any] | None = None
        self._expires = 0.0
        self._was: dict[str, bool] = {}  # each check's last outcome, as logged

    @property
    def names(self) -> list[str]:
        return [check.name for check in (*self._checks, *self._dependencies)]

    async def answer(self) -> dict[str, Any]:
        """``{"status": "ok"|"failing", "checks": {name: {"ok", "detail"}},
        "dependencies": {name: {"ok", "detail"}}}``; in strict mode the
        dependencies are among the checks."""
        if self._stopping():  # at once: neither the cache nor a slow check delays it
            shutdown = {"ok": False, "detail": STOPPING_DETAIL}
            return {"status": "failing", "checks": {"shutdown": shutdown}}
        async with self._lock:  # probes at the same moment share one round of checks
            if self._answer is None or self._clock() >= self._expires:
                self._answer = await self._evaluate()
                self._expires = self._clock() + self._cache_seconds
                self._log_changes(self._answer)
            return self._answer

    def _log_changes(self, answer: dict[str, Any]) -> None:
        """The operator's view of what ``/readyz`` (ready or not, to anyone)
        leaves out: each check that starts failing, or passes again, with what
        it found; a failure is said even on the first round."""
        for kind in ("checks", "dependencies"):
            for name, found in answer.get(kind, {}).items():
                ok = found["ok"]
                if self._was.get(name, True) == ok:  # unseen counts as passing
                    continue
                self._was[name] = ok
                what = f"{name} (a dependency)" if kind == "dependencies" else name
                said = f"readiness: {what} {'passes' if ok else 'fails'}: {found['detail']}"
                if ok:
                    log.info(said)
                else:
                    log.warning(said + (" (not ready)" if kind == "checks" else ""))

    async def _evaluate(self) -> dict[str, Any]:
        every = [*self._checks, *self._dependencies]
        results = await asyncio.gather(*(self._run(check) for check in every))
        named = {
            check.name: {"ok": result.ok, "detail": result.detail}
            for check, result in zip(every, results, strict=True)
        }
        required = [c.name for c in self._checks]
        optional = [c.name for c in self._dependencies]
        if self._strict:
            required, optional = required + optional, []
        ok = all(named[name]["ok"] for name in required)
        answer: dict[str, Any] = {
            "status": "ok" if ok else "failing",
            "checks": {name: named[name] for name in required},
        }
        if optional:
            answer["dependencies"] = {name: named[name] for name in optional}
        return answer

    async def _run(self, check: Check) -> CheckResult:
        started = self._clock()
        try:
            result = await asyncio.wait_for(check.probe(), self._timeout)
        except TimeoutError:
            result = failed(f"no answer within {self._timeout:g}s")
        except Exception as exc:  # any failure is a finding, never a 500
            text = str(exc).strip().splitlines()
            result = failed(f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__)
        if self._observe is not None and check in self._dependencies:
            self._observe(check.name, result.ok, max(0.0, self._clock() - started))
        detail = self._redact(result.detail)
        if len(detail) > DETAIL_LIMIT:
            detail = detail[: DETAIL_LIMIT - 1] + "…"
        return CheckResult(result.ok, detail)


class Started:
    """The ``started`` check: passes from when every component has started
    until the stop begins."""

    def __init__(self) -> None:
        self.done = False

    async def __call__(self) -> CheckResult:
        return passed("every component started") if self.done else failed("starting")


class ReadinessComponent:
    """Mounts ``/readyz``. It starts after every other component, so its
    ``started`` check passes once they all have. While running it refreshes
    the answer every ``refresh_seconds``, so the dependency metrics stay
    current when nothing probes; ``close`` runs on stop (a check's own pool).
    ``started`` is the check it marks done when it starts."""

    name = "readiness"

    def __init__(
        self,
        readiness: Readiness,
        close: Callable[[], Awaitable[None]] | None = None,
        *,
        started: Started | None = None,
        refresh_seconds: float = 15.0,
    ) -> None:
        self.readiness = readiness
        self._close = close
        self._started = started or Started()
        self._refresh_seconds = refresh_seconds
        self._refresher: asyncio.Task[None] | None = None

    @property
    def routes(self) -> Sequence[BaseRoute]:
        return [Route("/readyz", self._readyz, methods=["GET"])]

    async def _readyz(self, _request: Request) -> JSONResponse:
        # Ready or not, and nothing else: anyone who reaches the port may ask,
        # and what each check found (a pid, how many commands wait, a
        # server's error) is the operator's, in the log and in /metrics.
        status = (await self.readiness.answer())["status"]
        return JSONResponse({"status": status}, status_code=200 if status == "ok" else 503)

    async def _refresh(self) -> None:
        while True:
            await self.readiness.answer()
            await asyncio.sleep(self._refresh_seconds)

    async def start(self) -> None:
        self._started.done = True
        self._refresher = asyncio.create_task(self._refresh(), name="readiness refresh")

    async def stop(self) -> None:
        self._started.done = False
        if self._refresher is not None:
            self._refresher.cancel()
            await asyncio.wait([self._refresher])
        if self._close is not None:
            await self._close()
