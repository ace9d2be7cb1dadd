"""The ASGI application of ``meetbridge serve``.

Each part of the bridge that needs the service (the Slack endpoint, the
Telegram webhook, the reminder dispatcher, polling loops) is a ``Component``:
routes to mount plus a start and a stop. The service starts them in order when
it starts and stops them in reverse order when it shuts down, so a component
never outlives the things it depends on.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Protocol

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

log = logging.getLogger(__name__)


class Component(Protocol):
    """A part of the service: its routes, and what runs while the service runs."""

    @property
    def name(self) -> str: ...

    @property
    def routes(self) -> Sequence[BaseRoute]: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


async def healthz(request: Request) -> JSONResponse:
    """The process is alive and serving HTTP."""
    return JSONResponse({"status": "ok"})


def build_web_app(components: Sequence[Component]) -> Starlette:
    routes: list[BaseRoute] = [Route("/healthz", healthz, methods=["GET"])]
    for component in components:
        routes.extend(component.routes)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        started: list[Component] = []
        try:
            for component in components:
                await component.start()
                started.append(component)
                log.info("started %s", component.name)
            yield
        finally:
            for component in reversed(started):
                try:
                    await component.stop()
                except Exception:  # one failing stop must not keep the others running
                    log.exception("stopping %s failed", component.name)

    return Starlette(routes=routes, lifespan=lifespan)
