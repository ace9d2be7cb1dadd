"""The bot token never reaches a log line, in the message or in a traceback."""

from __future__ import annotations

import io
import logging

import pytest

from adapters.telegram.redact import REDACTED, TokenRedactor

pytestmark = pytest.mark.timeout(30)

TOKEN = "123456:AAH-secret-token"


def test_messages_and_tracebacks_are_redacted_on_every_root_handler() -> None:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    root = logging.getLogger()
    root.addHandler(handler)
    redactor = TokenRedactor(TOKEN)
    redactor.install()
    log = logging.getLogger("httpx.test")
    log.setLevel(logging.INFO)
    try:
        log.info("HTTP Request: POST %s", f"https://api.telegram.org/bot{TOKEN}/getMe")
        try:
            raise RuntimeError(f"failed https://api.telegram.org/bot{TOKEN}/sendMessage")
        except RuntimeError:
            log.exception("request failed")
    finally:
        redactor.uninstall()
        root.removeHandler(handler)
    text = out.getvalue()
    assert TOKEN not in text
    assert text.count(REDACTED) == 2
    assert "getMe" in text
    assert "RuntimeError" in text
