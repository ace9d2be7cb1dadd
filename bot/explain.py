"""Sentences for errors a conference server gives."""

from __future__ import annotations

from bot.errors import BackendError
from bot.i18n import Translator


def backend_message(error: BackendError, t: Translator) -> str:
    key = f"backend.{error.reason}"
    return t(key) if t.has(key) else t("backend.unknown", reason=error.reason)
