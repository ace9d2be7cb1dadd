"""SQLAlchemy's pool logs an ERROR with a traceback ("Exception during reset
or similar") when a task is cancelled while its connection is given back, as
every task is at a stop: the connection is dropped, as it should be, and
nothing failed. Said as one line at INFO, so a stop's log holds no traceback
and a real pool error still does."""

from __future__ import annotations

import asyncio
import logging

_POOL = "sqlalchemy.pool"


class CancelledResetFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if record.name.startswith(_POOL) and isinstance(error, asyncio.CancelledError):
            record.levelno, record.levelname = logging.INFO, "INFO"
            record.msg, record.args = "a connection given back by a cancelled task was dropped", ()
            record.exc_info, record.exc_text = None, None
        return True
