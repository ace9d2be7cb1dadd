"""The checks behind ``/readyz``, built from what this process runs: the
database, each configured conference server, and each messenger it serves
(each under its edge's name)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from adapters.edge import ServedMessenger
from adapters.http.readiness import Check, CheckResult, Observe, Readiness, failed, passed
from adapters.logs import Redactor
from bot.errors import BridgeError
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


def readiness_for(
    app: App,
    database: DatabaseCheck,
    started: Check,
    *,
    messengers: Mapping[str, ServedMessenger],
    work: Check | None = None,
    stopping: Callable[[], bool] = lambda: False,
    observe: Observe | None = None,
) -> Readiness:
    """Ready: the database, every component started and, when ``serve`` has
    one, its ``work`` process working. Dependencies (each conference server,
    each messenger's API) are reported, and required only with READINESS_STRICT."""
    settings = app.settings
    dependencies = [_backend(name, built.check_ready) for name, built in app.backends.built.items()]
    dependencies += [Check(name, served.check_ready) for name, served in messengers.items()]
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
