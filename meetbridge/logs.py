"""Logging set up from settings: one handler on the root logger, so the
bridge's lines and every library's (httpx, uvicorn, PTB, slack-bolt) share one
format, one redaction and the request id."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from adapters.logs import (
    CancelledResetFilter,
    JsonFormatter,
    RedactingFilter,
    Redactor,
    RequestIdFilter,
    TextFormatter,
)
from meetbridge.config import Config

# Loud at DEBUG and of no use to an operator unless asked for by name.
_QUIET_AT_DEBUG = ("aiosqlite", "asyncio", "hpack")
# At INFO these would repeat what the bridge says better: APScheduler a line
# per timer wake-up, httpx a second line per backend call (the bridge's own
# names the endpoint, status and time), alembic some 25 lines for what the
# bridge says in one ("upgraded … from revision A to B"). Their warnings
# still show; at DEBUG everything does.
_WARNINGS_ONLY = ("alembic", "apscheduler", "httpx")


def build_handler(config: Config, stream: TextIO | None = None) -> logging.Handler:
    """A handler that names the request, masks every configured secret (each
    edge's tokens, LINK_SECRET, the database password) and formats as
    LOG_FORMAT says."""
    handler = logging.StreamHandler(stream or sys.stderr)
    json_lines = config.core.log_format == "json"
    handler.setFormatter(JsonFormatter() if json_lines else TextFormatter())
    handler.addFilter(RequestIdFilter())
    handler.addFilter(CancelledResetFilter())
    handler.addFilter(RedactingFilter(Redactor(config.secrets())))
    return handler


@contextmanager
def configured_logging(
    config: Config, *, level: str | None = None, stream: TextIO | None = None
) -> Iterator[logging.Handler]:
    """For the block: that handler alone on the root logger, at LOG_LEVEL (or
    ``level``); the previous handlers and levels come back afterwards (which
    matters only when the CLI runs inside another program, e.g. a test)."""
    root = logging.getLogger()
    previous = (list(root.handlers), root.level)
    quiet = {name: logging.getLogger(name).level for name in (*_QUIET_AT_DEBUG, *_WARNINGS_ONLY)}
    handler = build_handler(config, stream)
    for old in previous[0]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level or config.core.log_level)
    if root.level <= logging.DEBUG:
        for name in _QUIET_AT_DEBUG:
            logging.getLogger(name).setLevel(logging.INFO)
    else:
        for name in _WARNINGS_ONLY:
            logging.getLogger(name).setLevel(logging.WARNING)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        for old in previous[0]:
            root.addHandler(old)
        root.setLevel(previous[1])
        for name, value in quiet.items():
            logging.getLogger(name).setLevel(value)


def route_uvicorn_to_root() -> None:
    """uvicorn configures its own handlers (a loopback sandbox's server does so
    too); send its records to the root handler instead, like every other
    library's. Access lines stay off: a request line can carry ids people
    consider private, and each command has its own line."""
    for name in ("uvicorn", "uvicorn.error", "uvicorn.asgi"):
        logger = logging.getLogger(name)
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
        logger.propagate = True
        logger.setLevel(logging.NOTSET)
    access = logging.getLogger("uvicorn.access")
    for handler in list(access.handlers):
        access.removeHandler(handler)
    access.propagate = False
