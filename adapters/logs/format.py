"""Two renderings of the same records: text for a person at a terminal, one
JSON object per line for a log collector (``LOG_FORMAT=json``). Fields passed
with ``extra=`` (the command line's kind, outcome, chat…) appear in JSON."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from adapters.logs.lines import escaped_line, exception_text
from adapters.logs.redact import RECORD_FIELDS

# color_message: uvicorn's copy of the message with terminal colours.
_OWN_FIELDS = RECORD_FIELDS | {"request_id", "event", "color_message"}


def extra_fields(record: logging.LogRecord) -> dict[str, Any]:
    return {k: v for k, v in vars(record).items() if k not in _OWN_FIELDS}


class TextFormatter(logging.Formatter):
    """``2026-03-02 09:00:00,123 INFO bot.service [req=1a2b3c]: message``: one
    line a record, its traceback on the lines after it."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s%(request)s: %(message)s")

    def formatMessage(self, record: logging.LogRecord) -> str:
        record.message = escaped_line(record.message)
        return super().formatMessage(record)

    def formatException(self, ei: Any) -> str:
        return exception_text(ei)

    def format(self, record: logging.LogRecord) -> str:
        request_id = getattr(record, "request_id", None)
        fields = vars(record)
        fields["request"] = f" [req={request_id}]" if request_id else ""
        try:
            return super().format(record)
        finally:
            del fields["request"]


class JsonFormatter(logging.Formatter):
    """One line: time (UTC, ISO 8601), level, logger, message, request_id,
    the record's extra fields, and the traceback as text when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None)
        if request_id:
            line["request_id"] = request_id
        event = getattr(record, "event", None)
        if event:
            line["event"] = event
        line.update(extra_fields(record))
        if record.exc_info and record.exc_text is None:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = record.stack_info
        return json.dumps(line, ensure_ascii=False, default=str)
