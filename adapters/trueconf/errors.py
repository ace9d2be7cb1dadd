"""Turning TrueConf error answers into the core's typed errors."""

from __future__ import annotations

from collections.abc import Iterable
from http import HTTPStatus
from typing import Any

import httpx

from adapters.logs.redact import Redactor
from bot.errors import BackendAuthError, BackendError, Refusal

# Every reason the API reference documents for the calls the bridge makes,
# plus the bridge's own for transport failures: each has a sentence for people.
DOCUMENTED_REASONS = frozenset(
    {
        # token endpoint
        "invalidRequest",
        "invalidCredentials",
        "userIsBanned",
        # conferences, invitations, participants, users
        "forbidden",
        "conferenceNotFound",
        "userNotFound",
        "conferenceLimit",
        "conferenceMaxInvitationsLimit",
        "maxGuestsLimitReached",
        "conferenceOwnerNotInInvitationsList",
        "joinOptionsNotAllowedByLicense",
        "mcuModeUnavailableWhenMulticastIsEnabled",
        "joinOptionsNotEditableInMcuMode",
        "joinOptionsNotAllowedWhenMulticastIsEnabled",
        "conferenceUnavailableForChange",
        "conferenceFieldUnavailableForChange",
        "ongoingConferencesLimit",
        "conferenceIsFinished",
        "conferenceIsNotRunning",
        "participantIsUnavailable",
        "participantAlreadyInConference",
        "participantNotFound",
        "conferenceSessionNotFound",
        "maxUsers",
        "serviceUnavailable",
        "missingRequiredField",
        # the bridge's own
        "accessTokenInvalid",
        "timeout",
        "unreachable",
        "invalidResponse",
        "serverError",
    }
)

# Reasons that mean "the bridge's credentials or token were refused".
AUTH_REASONS = frozenset({"invalidCredentials", "accessTokenInvalid"})

# OAuth2 (RFC 6749) error codes that mean the client id or secret is wrong.
OAUTH_CREDENTIAL_ERRORS = frozenset(
    {"invalid_client", "invalid_grant", "unauthorized_client", "invalidCredentials"}
)

_STATUS_REASONS = {
    400: "invalidRequest",
    401: "accessTokenInvalid",
    403: "forbidden",
    502: "serviceUnavailable",
    503: "serviceUnavailable",
    504: "serviceUnavailable",
}


def _fallback_reason(status: int) -> str:
    if status in _STATUS_REASONS:
        return _STATUS_REASONS[status]
    return "serverError" if status >= HTTPStatus.INTERNAL_SERVER_ERROR else "invalidResponse"


def redact(text: str, secrets: Iterable[str]) -> str:
    """Remove secrets from a server message before it travels further (the
    logs' redaction: the values, their encoded forms and secret-shaped fields)."""
    return Redactor(secrets)(text)


# Every reason above (the documented ones and the bridge's own), in the
# core's terms: the core branches on these and picks people's sentence by them.
REFUSALS = {
    "conferenceNotFound": Refusal.NOT_FOUND,
    "conferenceUnavailableForChange": Refusal.RUNNING,
    "conferenceFieldUnavailableForChange": Refusal.LOCKED_WHILE_RUNNING,
    "conferenceIsFinished": Refusal.FINISHED,
    "conferenceIsNotRunning": Refusal.NOT_RUNNING,
    "conferenceSessionNotFound": Refusal.SESSION_NOT_FOUND,
    "userNotFound": Refusal.NO_SUCH_USER,
    "participantNotFound": Refusal.PARTICIPANT_NOT_FOUND,
    "participantIsUnavailable": Refusal.PERSON_UNAVAILABLE,
    "participantAlreadyInConference": Refusal.ALREADY_IN,
    "conferenceOwnerNotInInvitationsList": Refusal.OWNER_NOT_INVITED,
    "conferenceLimit": Refusal.CONFERENCE_LIMIT,
    "ongoingConferencesLimit": Refusal.RUNNING_LIMIT,
    "conferenceMaxInvitationsLimit": Refusal.INVITATION_LIMIT,
    "maxGuestsLimitReached": Refusal.GUEST_LIMIT,
    "maxUsers": Refusal.USER_LIMIT,
    "joinOptionsNotAllowedByLicense": Refusal.JOIN_OPTIONS_LICENCE,
    "joinOptionsNotAllowedWhenMulticastIsEnabled": Refusal.JOIN_OPTIONS_MULTICAST,
    "joinOptionsNotEditableInMcuMode": Refusal.JOIN_OPTIONS_MCU,
    "mcuModeUnavailableWhenMulticastIsEnabled": Refusal.MCU_MULTICAST,
    "forbidden": Refusal.FORBIDDEN,
    "userIsBanned": Refusal.BANNED,
    "invalidCredentials": Refusal.CREDENTIALS,
    "accessTokenInvalid": Refusal.ACCESS_REFUSED,
    "timeout": Refusal.TIMEOUT,
    "unreachable": Refusal.UNREACHABLE,
    "serviceUnavailable": Refusal.UNAVAILABLE,
    "serverError": Refusal.SERVER_ERROR,
    "invalidResponse": Refusal.INVALID_RESPONSE,
    "invalidRequest": Refusal.INVALID_REQUEST,
    "missingRequiredField": Refusal.MISSING_FIELD,
}

# What fixes refused credentials, named to people.
CREDENTIAL_SETTINGS = ("TRUECONF_CLIENT_ID", "TRUECONF_CLIENT_SECRET")


def make_error(reason: str, detail: str, status: int | None) -> BackendError:
    cls = BackendAuthError if reason in AUTH_REASONS else BackendError
    refusal = REFUSALS.get(reason, Refusal.OTHER)
    settings = CREDENTIAL_SETTINGS if refusal is Refusal.CREDENTIALS else ()
    return cls(reason, detail, status=status, refusal=refusal, settings=settings)


def error_reasons(payload: Any) -> list[str]:
    """Every ``errors[].reason`` of an error envelope (empty for other shapes)."""
    if not isinstance(payload, dict):
        return []
    error = payload.get("error")
    if not isinstance(error, dict):
        return []
    details = error.get("errors")
    if not isinstance(details, list):
        return []
    return [
        d["reason"] for d in details if isinstance(d, dict) and isinstance(d.get("reason"), str)
    ]


def error_from_payload(payload: Any, status: int, secrets: Iterable[str] = ()) -> BackendError:
    """Map a decoded error body: the documented envelope, or ``error`` as a plain string."""
    if not isinstance(payload, dict) or "error" not in payload:
        return BackendError(
            "invalidResponse", f"HTTP {status}", status=status, refusal=Refusal.INVALID_RESPONSE
        )
    error = payload["error"]
    if isinstance(error, dict):
        code = error.get("code")
        code = code if isinstance(code, int) else status
        message = error.get("message") if isinstance(error.get("message"), str) else ""
        details = error.get("errors")
        first: dict[str, Any] = {}
        if isinstance(details, list) and details and isinstance(details[0], dict):
            first = details[0]
        reason = first.get("reason") if isinstance(first.get("reason"), str) else ""
        detail = first.get("message") if isinstance(first.get("message"), str) else message
        return make_error(reason or _fallback_reason(code), redact(detail or "", secrets), code)
    if isinstance(error, str):
        description = payload.get("error_description") or payload.get("message") or ""
        if not isinstance(description, str):
            description = ""
        return make_error(error or "serverError", redact(description, secrets), status)
    return BackendError(
        "invalidResponse", f"HTTP {status}", status=status, refusal=Refusal.INVALID_RESPONSE
    )


def error_from_response(response: httpx.Response, secrets: Iterable[str] = ()) -> BackendError:
    """The typed error for a non-2xx answer."""
    try:
        payload = response.json()
    except ValueError:
        # Proxies answer 5xx with HTML; keep those retryable and explainable.
        reason = (
            _fallback_reason(response.status_code)
            if response.status_code >= HTTPStatus.INTERNAL_SERVER_ERROR
            else ""
        )
        return make_error(
            reason or "invalidResponse", f"HTTP {response.status_code}", response.status_code
        )
    return error_from_payload(payload, response.status_code, secrets)
