"""Typed errors the core understands. Adapters raise these (or subclasses);
handlers turn them into sentences from the message catalog."""

from __future__ import annotations


class BridgeError(Exception):
    """Base for every error the bridge expects and explains."""


class BackendError(BridgeError):
    """A conference server refused or failed a request.

    ``reason`` is the server's machine-readable reason (TrueConf's
    ``errors[].reason``, e.g. ``conferenceNotFound``) or one of the bridge's own:
    ``timeout``, ``unreachable``, ``invalidResponse``, ``invalidCredentials``.
    ``detail`` is the server's human message, never containing secrets.
    """

    def __init__(self, reason: str, detail: str = "", *, status: int | None = None) -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
        self.status = status


class BackendUnavailable(BackendError):
    """The server could not be reached or did not answer in time."""


class BackendAuthError(BackendError):
    """The bridge's credentials were refused."""


class ConfigError(BridgeError):
    """A setting is missing or wrong; the message names it."""


class UserError(BridgeError):
    """Something the person can fix; ``key`` is a message-catalog key."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params
