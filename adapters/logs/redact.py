"""Keeps secrets out of the logs, whichever library wrote the line.

Libraries log URLs and payloads (httpx logs every request at INFO; the Bot
API puts the token in the path; debug logs print form bodies). A filter on
the root handlers rewrites each record before it is formatted: every
configured secret value is masked, and so are the shapes secrets take even
when their value is not known here (a token fetched at run time, another
workspace's Slack token): ``/bot<token>/`` paths, ``token=``-style query and
form fields, ``Bearer`` headers, Slack tokens, passwords in URLs. A URL
inside another URL (an ``intent:`` in ``/open?to=…``) is percent-encoded, so
``password%3D…`` and ``token%253D…`` are fields too, and a configured secret
is also masked in its percent-encoded forms.

A configured secret shorter than ``MIN_SECRET_LENGTH`` is not masked by its
value: masking a one-character secret would mask that character everywhere,
turning every line into noise. (Such a secret is guessable anyway; the
shapes above still mask it where it stands as a field.)
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from urllib.parse import quote, quote_plus

from adapters.logs.lines import exception_text

REDACTED = "<redacted>"
# Configured secrets shorter than this are not masked by value (see above).
MIN_SECRET_LENGTH = 8

# The standard attributes of a LogRecord; anything else was passed in ``extra``.
RECORD_FIELDS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
}

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # Bot API URLs: https://api.telegram.org/bot<id>:<secret>/method (and /file/bot…).
    (re.compile(r"(/bot)\d+:[A-Za-z0-9_-]+"), rf"\1{REDACTED}"),
    # Query strings and form bodies: access_token=…, token=…, client_secret=…,
    # pin=…, also percent-encoded once or twice (token%3D…, token%253D…) where
    # a URL travels inside another. A field ends at "&" in any of its forms.
    (
        re.compile(
            r"(?i)(?:\b|(?<=%[0-9a-f]{2}))((?:access_|refresh_|bot_|app_)?token|client_secret"
            r"|secret|password|passwd|pin|pwd)(=|%3d|%253d)(?:(?!%26|%2526)[^&\s\"'<>,;])+"
        ),
        rf"\1\2{REDACTED}",
    ),
    # Authorization headers as libraries print them.
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{6,}"), rf"\1 {REDACTED}"),
    # Slack bot, user and app-level tokens of any workspace.
    (re.compile(r"\bx(?:ox[abposer]|app)-[A-Za-z0-9-]+"), REDACTED),
    # user:password@host in URLs (database URLs).
    (re.compile(r"(://[^/\s:@]*:)[^@\s/]+@"), rf"\1{REDACTED}@"),
)


def _forms(secret: str) -> Iterator[str]:
    """The secret as it may appear in a line: as it is, and percent-encoded
    once or twice (in a query, or in a URL inside a query)."""
    yield secret
    for encode in (quote, quote_plus):
        once = encode(secret, safe="")
        yield once
        yield encode(once, safe="")


class Redactor:
    """Masks the given secret values and the known shapes of secrets in text."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        # Longest first, so a secret containing another is masked whole.
        forms = {
            form
            for secret in secrets
            if len(secret) >= MIN_SECRET_LENGTH
            for form in _forms(secret)
        }
        self._secrets = sorted(forms, key=len, reverse=True)

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
            record.exc_text = exception_text(record.exc_info)
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
