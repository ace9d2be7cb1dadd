"""Keeps secrets out of the logs, whichever library wrote the line.

Libraries log URLs and payloads (httpx logs every request at INFO; the Bot
API puts the token in the path; debug logs print form bodies). A filter on
the root handlers rewrites each record before it is formatted: every
configured secret value is masked, and so are the shapes secrets take even
when their value is not known here (a token fetched at run time, another
workspace's Slack token): ``/bot<token>/`` paths, ``token=``-style query and
form fields, ``Bearer`` headers, Slack tokens, passwords in URLs.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

REDACTED = "<redacted>"

# The standard attributes of a LogRecord; anything else was passed in ``extra``.
RECORD_FIELDS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
}

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # Bot API URLs: https://api.telegram.org/bot<id>:<secret>/method (and /file/bot…).
    (re.compile(r"(/bot)\d+:[A-Za-z0-9_-]+"), rf"\1{REDACTED}"),
    # Query strings and form bodies: access_token=…, token=…, client_secret=…, pin=…
    (
        re.compile(
            r"(?i)\b((?:access_|refresh_|bot_|app_)?token|client_secret|secret|password"
            r"|passwd|pin|pwd)=[^&\s\"'<>,;]+"
        ),
        rf"\1={REDACTED}",
    ),
    # Authorization headers as libraries print them.
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{6,}"), rf"\1 {REDACTED}"),
    # Slack bot, user and app-level tokens of any workspace.
    (re.compile(r"\bx(?:ox[abposer]|app)-[A-Za-z0-9-]+"), REDACTED),
    # user:password@host in URLs (database URLs).
    (re.compile(r"(://[^/\s:@]*:)[^@\s/]+@"), rf"\1{REDACTED}@"),
)


class Redactor:
    """Masks the given secret values and the known shapes of secrets in text."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        # Longest first, so a secret containing another is masked whole.
        self._secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def __repr__(self) -> str:
        return f"Redactor({len(self._secrets)} secrets)"

    def __call__(self, text: str) -> str:
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, REDACTED)
        for pattern, replacement in _PATTERNS:
            text = pattern.sub(replacement, text)
        return text


class RedactingFilter(logging.Filter):
    """Rewrites a record's message, traceback, stack and string ``extra``
    fields. Installed on handlers, so records of every logger pass it."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self._redact = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed call: keep what was given, redacted
            message = f"{record.msg!r} {record.args!r}"
        record.msg = self._redact(message)
        record.args = None
        if record.exc_info and record.exc_info[1] is not None and record.exc_text is None:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self._redact(record.stack_info)
        for name, value in vars(record).items():
            if name not in RECORD_FIELDS and isinstance(value, str):
                setattr(record, name, self._redact(value))
        return True

    def install(self) -> None:
        """On every handler of the root logger."""
        for handler in logging.getLogger().handlers:
            handler.addFilter(self)

    def uninstall(self) -> None:
        for handler in logging.getLogger().handlers:
            handler.removeFilter(self)
