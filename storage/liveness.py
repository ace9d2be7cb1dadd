"""Check a pooled PostgreSQL connection before use only when it has sat idle.

SQLAlchemy's ``pool_pre_ping`` checks every checkout, and on asyncpg a check is
three round trips (BEGIN, an empty query, ROLLBACK): a command that opens five
units of work paid fifteen round trips for it. A connection checked in a moment
ago has just answered; the ones at risk (a server restart, a proxy or firewall
dropping idle connections) are those that sat unused. Those are checked, and a
dead one is replaced before the caller sees it. A connection that dies while in
use fails its statement, and SQLAlchemy then invalidates the whole pool, so the
next checkout connects afresh.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection

# Idle longer than this, a connection is checked before it is handed out.
CHECK_AFTER_IDLE_SECONDS = 10.0
_CHECKED_IN = "meetbridge_checked_in_at"


def check_idle_connections(
    engine: Engine,
    *,
    after_idle: float = CHECK_AFTER_IDLE_SECONDS,
    clock: Callable[[], float] = time.monotonic,
) -> None:
    """Install the check on ``engine`` (the sync engine behind an async one)."""

    @event.listens_for(engine, "checkin")
    def _note_checkin(_dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        record.info[_CHECKED_IN] = clock()

    @event.listens_for(engine, "checkout")
    def _check_if_idle(
        dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: PoolProxiedConnection
    ) -> None:
        checked_in = record.info.get(_CHECKED_IN)
        if checked_in is None or clock() - checked_in < after_idle:
            return  # new, or in use a moment ago
        try:
            dbapi_connection.ping()
        except Exception as exc:
            # The pool drops this connection and hands out a fresh one.
            raise DisconnectionError("an idle connection no longer answers") from exc
