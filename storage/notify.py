"""PostgreSQL ``LISTEN`` for the ledger's ``NOTIFY``: wakes a dispatcher when
another process writes a row that may be due sooner than it planned to look."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import asyncpg  # type: ignore[import-untyped]  # no stubs

from storage.db import normalize_url
from storage.repositories.ledger import NOTIFY_CHANNEL

log = logging.getLogger(__name__)


class ActionListener:
    """One dedicated connection listening on the ledger's channel; ``wake`` is
    called on the event loop for each notification."""

    def __init__(self, database_url: str, wake: Callable[[], None]) -> None:
        self._url = normalize_url(database_url)
        self._wake = wake
        self._conn: Any = None

    @property
    def supported(self) -> bool:
        return self._url.get_backend_name() == "postgresql"

    async def start(self) -> None:
        dsn = self._url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._conn = await asyncpg.connect(dsn)
        await self._conn.add_listener(NOTIFY_CHANNEL, self._on_notify)

    def _on_notify(self, _connection: Any, _pid: int, _channel: str, _payload: str) -> None:
        self._wake()

    async def stop(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            try:
                await conn.close(timeout=5)
            except Exception:  # closing a broken connection: nothing left to do
                log.debug("listener connection did not close cleanly", exc_info=True)
