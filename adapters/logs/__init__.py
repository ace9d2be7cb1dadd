"""Logging for the service: secrets redacted, a request id on every line,
human-readable text in a terminal or one JSON object per line."""

from adapters.logs.cancelled import CancelledResetFilter
from adapters.logs.format import JsonFormatter, TextFormatter
from adapters.logs.redact import REDACTED, RedactingFilter, Redactor
from adapters.logs.request_id import RequestIdFilter

__all__ = [
    "REDACTED",
    "CancelledResetFilter",
    "JsonFormatter",
    "RedactingFilter",
    "Redactor",
    "RequestIdFilter",
    "TextFormatter",
]
