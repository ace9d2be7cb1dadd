"""The ASGI application of ``meetbridge serve``.

Each part of the bridge that needs the service (the Slack endpoint, the
Telegram webhook, the reminder dispatcher, polling loops) is a ``Component``:
routes to mount plus a start and a stop. The service starts them in order when
it starts and stops them in reverse order when it shuts down, so a component
never outlives the things it depends on. The stops share one budget
(SHUTDOWN_TIMEOUT_SECONDS): a component still stopping when its share runs out
is cancelled, and the next one goes on.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Protocol

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from adapters.http.limits import DEFAULT_MAX_REQUEST_BYTES, BodyLimit
from adapters.http.shutdown import ShutdownBudget
from bot.metrics import Metrics, NoMetrics
from bot.tracing import request_scope

log = logging.getLogger(__name__)


class Component(Protocol):
    """A part of the service: its routes, and what runs while the service runs."""

    @property
    def name(self) -> str: ...

    @property
    def routes(self) -> Sequence[BaseRoute]: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


def healthz(instance: str | None) -> Callable[[Request], Awaitable[JSONResponse]]:
    """The process is alive and serving HTTP; ``instance`` tells processes
    apart (``doctor`` sees whether PUBLIC_URL reaches this one)."""
    body = {"status": "ok"} if instance is None else {"status": "ok", "instance": instance}

    async def answer(_request: Request) -> JSONResponse:
        return JSONResponse(body)

    return answer


class RequestMiddleware:
    """Every HTTP request: counted while in progress, and given a request id
    that the work it starts (a Slack command after its ack) inherits."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self._app = app
        self._metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        self._metrics.http_request_started()
        try:
            with request_scope():
                await self._app(scope, receive, send)
        finally:
            self._metrics.http_request_finished()


async def stop_within(component: Component, budget: ShutdownBudget, grace: float) -> None:
    """Stop ``component`` with what is left of the budget; at least ``grace``
    (a share of the reserve), so a quick stop after a slow one still runs."""
    timeout = max(budget.remaining() - budget.reserve, grace)
    try:
        await asyncio.wait_for(component.stop(), timeout)
    except TimeoutError:
        log.warning("stopping %s took longer than the shutdown budget; cut short", component.name)


async def stop_all(started: Sequence[Component], budget: ShutdownBudget) -> None:
    """Stop what started, last first, each within what is left of the budget."""
    grace = budget.reserve / (2 * max(1, len(started)))
    for component in reversed(started):
        try:
            await stop_within(component, budget, grace)
        except Exception:  # one failing stop must not keep the others running
            log.exception("stopping %s failed", component.name)


def build_web_app(
    components: Sequence[Component],
    *,
    metrics: Metrics | None = None,
    shutdown: ShutdownBudget | None = None,
    max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES,
    instance: str | None = None,
) -> Starlette:
    routes: list[BaseRoute] = [Route("/healthz", healthz(instance), methods=["GET"])]
    for component in components:
        routes.extend(component.routes)
    budget = shutdown or ShutdownBudget(20.0)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        started: list[Component] = []
        try:
            for component in components:
                await component.start()
                started.append(component)
                log.info("started %s", component.name)
            yield
        finally:
            budget.begin()
            await stop_all(started, budget)

    middleware = [
        Middleware(RequestMiddleware, metrics=metrics or NoMetrics()),
        Middleware(BodyLimit, max_bytes=max_request_bytes),
    ]
    return Starlette(routes=routes, lifespan=lifespan, middleware=middleware)
