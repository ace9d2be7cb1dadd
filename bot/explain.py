"""Sentences for errors a conference server gives, by what they mean to the core."""

from __future__ import annotations

from bot.errors import BackendError, Refusal
from bot.i18n import Translator


def backend_message(error: BackendError, t: Translator) -> str:
    if error.refusal is Refusal.OTHER:
        return t("backend.unknown", reason=error.reason)
    if error.refusal is Refusal.CREDENTIALS:
        return t("backend.credentials", settings=" / ".join(error.settings) or "?")
    return t(f"backend.{error.refusal.value}")
