"""Puts the current request id (``bot.tracing``) on every record."""

from __future__ import annotations

import logging

from bot.tracing import current_request_id


class RequestIdFilter(logging.Filter):
    """On a handler: handlers run in the caller's context, so the id is the one
    of the work that wrote the line (a library's line included)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = current_request_id()
        return True
