"""The sandbox's error answers, in the reference's envelope."""

from __future__ import annotations

from typing import Any

_STATUS_MESSAGES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    503: "Service Unavailable",
}


class ApiError(Exception):
    """An error answer: ``{"error": {"code", "message", "errors": [...]}}``."""

    def __init__(
        self,
        status: int,
        reason: str,
        message: str,
        *,
        location_type: str | None = None,
        location: str | None = None,
    ) -> None:
        super().__init__(f"{status} {reason}: {message}")
        self.status = status
        self.reason = reason
        self.message = message
        self.location_type = location_type
        self.location = location

    def body(self) -> dict[str, Any]:
        detail: dict[str, Any] = {"reason": self.reason, "message": self.message}
        if self.location_type and self.location:
            detail["locationType"] = self.location_type
            detail["location"] = self.location
        return {
            "error": {
                "code": self.status,
                "message": _STATUS_MESSAGES.get(self.status, "Error"),
                "errors": [detail],
            }
        }


def invalid(field: str, message: str, *, missing: bool = False) -> ApiError:
    """A validation error naming the offending parameter."""
    return ApiError(
        400,
        "missingRequiredField" if missing else "invalidRequest",
        message,
        location_type="parameter",
        location=field,
    )


def not_found(reason: str, message: str) -> ApiError:
    return ApiError(404, reason, message, location_type="path", location="id")
