"""Typed errors the core understands. Adapters raise these (or subclasses);
handlers turn them into sentences from the message catalog."""

from __future__ import annotations

from enum import StrEnum


class BridgeError(Exception):
    """Base for every error the bridge expects and explains."""


class Refusal(StrEnum):
    """What a backend's refusal means to the core, whatever the server calls
    it: each adapter maps its own reasons, the core branches on these."""

    NOT_FOUND = "not_found"  # the conference is gone from the server
    RUNNING = "running"  # it cannot be changed (deleted) while it runs
    OTHER = "other"


class BackendError(BridgeError):
    """A conference server refused or failed a request.

    ``reason`` is the server's machine-readable reason (TrueConf's
    ``errors[].reason``, e.g. ``conferenceNotFound``) or one of the bridge's own:
    ``timeout``, ``unreachable``, ``invalidResponse``, ``invalidCredentials``;
    it picks the sentence people read and names the refusal in logs.
    ``refusal`` is what it means to the core. ``detail`` is the server's human
    message, never containing secrets.
    """

    def __init__(
        self,
        reason: str,
        detail: str = "",
        *,
        status: int | None = None,
        refusal: Refusal = Refusal.OTHER,
    ) -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
        self.status = status
        self.refusal = refusal


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


class DeliveryError(BridgeError):
    """A messenger did not take a message the bridge sent on its own (a reminder).

    ``retry_after`` is the wait the messenger asked for (Slack ``Retry-After``,
    Telegram ``retry_after``); ``permanent`` means retrying cannot help (the bot
    was removed from the chat, the chat no longer exists).
    """

    def __init__(
        self, reason: str, *, retry_after: float | None = None, permanent: bool = False
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after
        self.permanent = permanent
