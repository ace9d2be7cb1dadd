"""Turning Callaba's answers into the core's typed errors.

The rooms API documents no error bodies. Its server answers in the usual
Express manner, ``{"message": "..."}`` (sometimes ``{"error": "..."}``) with
the status saying what went wrong, so the status picks the reason and the
message becomes the detail.
"""

from __future__ import annotations

from collections.abc import Iterable
from http import HTTPStatus
from typing import Any

import httpx

from adapters.logs.redact import Redactor
from bot.errors import BackendAuthError, BackendError, Refusal

# The reasons this adapter gives; each is a core reason with a sentence.
REASONS = frozenset(
    {
        "callabaTokenRefused",
        "conferenceNotFound",
        "roomNotActive",
        "invalidRequest",
        "serviceUnavailable",
        "serverError",
        "invalidResponse",
        "timeout",
        "unreachable",
    }
)

# Each reason in the core's terms: the core branches on these and picks
# people's sentence by them.
REFUSALS = {
    "callabaTokenRefused": Refusal.CREDENTIALS,
    "conferenceNotFound": Refusal.NOT_FOUND,
    # The bridge's own: a stop finds the room closed already (TrueConf's
    # conferenceIsNotRunning, so both servers are answered alike).
    "roomNotActive": Refusal.NOT_RUNNING,
    "invalidRequest": Refusal.INVALID_REQUEST,
    "serviceUnavailable": Refusal.UNAVAILABLE,
    "serverError": Refusal.SERVER_ERROR,
    "invalidResponse": Refusal.INVALID_RESPONSE,
    "timeout": Refusal.TIMEOUT,
    "unreachable": Refusal.UNREACHABLE,
}
# What fixes a refused token, named to people.
SETTINGS = ("CALLABA_TOKEN",)

_STATUS_REASONS = {
    400: "invalidRequest",
    401: "callabaTokenRefused",
    403: "callabaTokenRefused",
    404: "conferenceNotFound",
    422: "invalidRequest",
    429: "serviceUnavailable",
    502: "serviceUnavailable",
    503: "serviceUnavailable",
    504: "serviceUnavailable",
}


def reason_for(status: int) -> str:
    if status in _STATUS_REASONS:
        return _STATUS_REASONS[status]
    return "serverError" if status >= HTTPStatus.INTERNAL_SERVER_ERROR else "invalidResponse"


def _message(payload: Any) -> str:
    if isinstance(payload, dict):
        for key in ("message", "error"):
            value = payload.get(key)
            if isinstance(value, str):
                return value
    return ""


def error_from_response(response: httpx.Response, secrets: Iterable[str] = ()) -> BackendError:
    """The typed error for a non-2xx answer; never carries the token."""
    status = response.status_code
    reason = reason_for(status)
    try:
        detail = _message(response.json())
    except ValueError:
        detail = ""
    detail = Redactor(secrets)(detail) or f"HTTP {status}"
    refusal = REFUSALS[reason]
    if refusal is Refusal.CREDENTIALS:
        return BackendAuthError(reason, detail, status=status, refusal=refusal, settings=SETTINGS)
    return BackendError(reason, detail, status=status, refusal=refusal)
