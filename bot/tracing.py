"""The request id: one short id per piece of work (an incoming command,
update or reminder), carried in a ``ContextVar`` so every log line written
for that work, down to the backend calls, can name it without passing it
through every signature. Tasks started inside the work inherit it."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

# A ContextVar must live at module level; it holds no state of its own
# outside the context of the work that set it.
_request_id: ContextVar[str | None] = ContextVar("meetbridge_request_id", default=None)


def current_request_id() -> str | None:
    return _request_id.get()


def new_request_id() -> str:
    return secrets.token_hex(6)


@contextmanager
def request_scope(request_id: str | None = None) -> Iterator[str]:
    """Bind a request id for the work inside the block (a fresh one unless
    given), restoring the previous one afterwards."""
    value = request_id or new_request_id()
    token = _request_id.set(value)
    try:
        yield value
    finally:
        _request_id.reset(token)


@contextmanager
def ensure_request_scope() -> Iterator[str]:
    """The current request id, or a fresh one bound for the block when none is."""
    current = _request_id.get()
    if current is not None:
        yield current
        return
    with request_scope() as value:
        yield value
