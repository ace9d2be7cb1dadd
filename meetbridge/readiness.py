"""The checks behind ``/readyz``, built from what this process runs: the
database, each configured conference server, and each messenger it serves
(each under its edge's name)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import timedelta

from adapters.edge import ServedMessenger
from adapters.http.readiness import Check, CheckResult, Observe, Readiness, failed, passed
from adapters.logs import Redactor
from bot.clock import Clock
from bot.errors import BridgeError
from bot.ports.queue import CommandQueue
from meetbridge.compose import App
from meetbridge.failures import database_problem
from storage.db import build_engine
from storage.migrate import head_revision, revision_of


class DatabaseCheck:
    """Reachable and at the newest migration, through a pool of its own (one
    connection at a time: a probe must not take the commands' connections)."""

    def __init__(self, database_url: str) -> None:
        self._url = database_url
        self._engine = build_engine(database_url)

    async def __call__(self) -> CheckResult:
        try:
            current = await revision_of(self._engine)
        except Exception as exc:  # any driver error is a finding
            return failed(f"unreachable: {database_problem(exc, self._url)}")
        head = head_revision()
        if current != head:
            return failed(
                f"at revision {current or 'none'}, not {head}: run `meetbridge db upgrade`"
            )
        return passed(f"reachable, at revision {head}")

    async def close(self) -> None:
        await self._engine.dispose()


def _backend(name: str, check_ready: Callable[[], Awaitable[None]]) -> Check:
    async def probe() -> CheckResult:
        try:
            await check_ready()
        except BridgeError as exc:  # the typed errors carry no secrets
            return failed(str(exc))
        return passed("reachable, credentials accepted")

    return Check(f"backend:{name}", probe)


# A command acknowledged this long ago and still held by no worker: none is
# taking them (no `meetbridge work` runs, or every one is stuck or dead).
WAITING_MOST = timedelta(seconds=60)


def commands_check(
    name: str, queue: CommandQueue, clock: Clock, *, most: timedelta = WAITING_MOST
) -> Check:
    """``<messenger>:commands``: the commands it acknowledged are being taken
    up (the oldest a worker could take waits less than ``most``). Reported,
    not required: an overload that outruns the workers is the same on every
    replica, and taking them out would refuse everyone (READINESS_STRICT
    requires it all the same, as every dependency)."""

    async def probe() -> CheckResult:
        now = clock.now()
        waiting = await queue.waiting(now)
        if waiting.oldest is None:
            return passed("no command waits for a worker")
        waited = max(timedelta(0), now - waiting.oldest)
        found = (
            f"{waiting.count} command(s) wait for a worker, the oldest for"
            f" {waited.total_seconds():.0f} s"
        )
        if waited > most:
            return failed(
                f"{found}: no worker takes them (is a `meetbridge work` running,"
                " or are all its commands stuck?)"
            )
        return passed(found)

    return Check(f"{name}:commands", probe)


def readiness_for(
    app: App,
    database: DatabaseCheck,
    started: Check,
    *,
    messengers: Mapping[str, ServedMessenger],
    work: Check | None = None,
    queues: Mapping[str, CommandQueue] | None = None,
    stopping: Callable[[], bool] = lambda: False,
    observe: Observe | None = None,
) -> Readiness:
    """Ready: the database, every component started and, when ``serve`` has
    one, its ``work`` process working. Dependencies (each conference server,
    each messenger's API, whether the commands each messenger accepted are
    being taken up, by its name in ``queues``) are reported, and required only
    with READINESS_STRICT."""
    settings = app.settings
    dependencies = [_backend(name, built.check_ready) for name, built in app.backends.built.items()]
    dependencies += [Check(name, served.check_ready) for name, served in messengers.items()]
    dependencies += [
        commands_check(name, queue, app.deps.clock) for name, queue in (queues or {}).items()
    ]
    return Readiness(
        [Check("database", database), started, *([work] if work is not None else [])],
        dependencies=dependencies,
        strict=settings.readiness_strict,
        observe=observe,
        cache_seconds=settings.readiness_cache_seconds,
        timeout=settings.readiness_timeout_seconds,
        redact=Redactor(app.config.secrets()),
        stopping=stopping,
    )
