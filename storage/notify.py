"""PostgreSQL ``LISTEN`` for the ledger's ``NOTIFY``: tells a dispatcher when
another process writes rows, and when the first of them comes due (the
payload), so it can look now or plan to look then."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

import asyncpg  # type: ignore[import-untyped]  # no stubs

from storage import pg_options
from storage.db import normalize_url
from storage.repositories.ledger import NOTIFY_CHANNEL

log = logging.getLogger(__name__)


class ActionListener:
    """One dedicated connection listening on the ledger's channel; ``wake`` is
    called on the event loop for each notification, with the time its first
    row comes due (None: a payload that names none)."""

    def __init__(self, database_url: str, wake: Callable[[datetime | None], None]) -> None:
        self._url = normalize_url(database_url)
        self._wake = wake
        self._conn: Any = None

    @property
    def supported(self) -> bool:
        return self._url.get_backend_name() == "postgresql"

    async def start(self) -> None:
        # The query as the engine takes it (libpq's names translated): left
        # raw, asyncpg would send the names it does not know to the server
        # as settings, and the server refuse the connection.
        url, args = pg_options.split(self._url.set(drivername="postgresql"), driver_only=True)
        dsn = url.render_as_string(hide_password=False)
        self._conn = await asyncpg.connect(dsn, **args)
        await self._conn.add_listener(NOTIFY_CHANNEL, self._on_notify)

    def _on_notify(self, _connection: Any, _pid: int, _channel: str, payload: str) -> None:
        try:
            due: datetime | None = datetime.fromisoformat(payload)
        except ValueError:  # not ours, or an older writer's: look now
            due = None
        if due is not None and due.tzinfo is None:
            due = None
        self._wake(due)

    async def stop(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            try:
                await conn.close(timeout=5)
            except Exception:  # closing a broken connection: nothing left to do
                log.debug("listener connection did not close cleanly", exc_info=True)
