"""A loopback server (every backend sandbox) beside serve's own uvicorn: both
log through uvicorn's module loggers, so the sandbox leaves their set-up as
serve made it, keeps its start and stop lines to itself, and its warnings
carry its own name."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from adapters.loopback import LoopbackServer
from meetbridge.logs import route_uvicorn_to_root

pytestmark = pytest.mark.timeout(30)

UVICORN = ("uvicorn", "uvicorn.error", "uvicorn.asgi", "uvicorn.access")


@pytest.fixture
def routed_as_serve_does() -> Iterator[None]:
    loggers = [logging.getLogger(name) for name in UVICORN]
    before = [(list(lg.handlers), lg.propagate, lg.level) for lg in loggers]
    route_uvicorn_to_root()
    try:
        yield
    finally:
        for logger, (handlers, propagate, level) in zip(loggers, before, strict=True):
            logger.handlers = handlers
            logger.propagate = propagate
            logger.setLevel(level)


async def warn(_request: Request) -> PlainTextResponse:
    logging.getLogger("uvicorn.error").warning("something the sandbox's server says")
    return PlainTextResponse("ok")


def app() -> Starlette:
    return Starlette(routes=[Route("/warn", warn)])


@pytest.mark.usefixtures("routed_as_serve_does")
def test_a_sandbox_logs_under_its_own_name_and_leaves_serves_loggers(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    # (uvicorn.access is off in both: uvicorn empties it for access_log=False.)
    shared = UVICORN[:3]
    set_up = [(list(logging.getLogger(n).handlers), logging.getLogger(n).level) for n in shared]
    with LoopbackServer(app, name="test-sandbox") as server:
        assert httpx.get(f"{server.base_url}/warn").text == "ok"
    # serve's uvicorn logs as before, through the root handler alone.
    assert [
        (list(logging.getLogger(n).handlers), logging.getLogger(n).level) for n in shared
    ] == set_up
    assert logging.getLogger("uvicorn.error").propagate
    # No "Started server process" or "Shutting down" that reads as serve's own.
    said = [
        (r.name, r.levelno, r.getMessage())
        for r in caplog.records
        if r.name in ("test-sandbox", *UVICORN)
    ]
    assert said == [("test-sandbox", logging.WARNING, "something the sandbox's server says")]
    # serve's own lines keep their name once the sandbox is gone.
    logging.getLogger("uvicorn.error").info("serve's own line")
    assert caplog.records[-1].name == "uvicorn.error"
