"""Typed errors the core understands. Adapters raise these (or subclasses);
handlers turn them into sentences from the message catalog."""

from __future__ import annotations

from enum import StrEnum


class BridgeError(Exception):
    """Base for every error the bridge expects and explains."""


class Refusal(StrEnum):
    """What a backend's refusal or failure means to the core, whatever the
    server calls it: each adapter maps its own reasons to these; the core
    branches on them and picks the sentence people read by them
    (``bot/i18n/backend_texts.py``, ``backend.<value>``)."""

    NOT_FOUND = "not_found"  # the conference is gone from the server
    RUNNING = "running"  # it cannot be changed (deleted) while it runs
    LOCKED_WHILE_RUNNING = "locked_while_running"  # this part cannot change while it runs
    FINISHED = "finished"  # it is over
    NOT_RUNNING = "not_running"  # it has to run first
    SESSION_NOT_FOUND = "session_not_found"  # that session is over or never began
    NO_SUCH_USER = "no_such_user"  # the server has no such account
    PARTICIPANT_NOT_FOUND = "participant_not_found"  # that person is not in the conference
    PERSON_UNAVAILABLE = "person_unavailable"  # that person cannot be called now
    ALREADY_IN = "already_in"  # that person is in already
    OWNER_NOT_INVITED = "owner_not_invited"  # the owner must be among the invitees
    CONFERENCE_LIMIT = "conference_limit"  # no more conferences allowed
    RUNNING_LIMIT = "running_limit"  # too many conferences run at once
    INVITATION_LIMIT = "invitation_limit"  # no more invitations fit
    GUEST_LIMIT = "guest_limit"  # no more guests fit
    USER_LIMIT = "user_limit"  # no more accounts allowed
    JOIN_OPTIONS_LICENCE = "join_options_licence"  # the licence forbids these ways in
    JOIN_OPTIONS_MULTICAST = "join_options_multicast"  # not with multicast on
    JOIN_OPTIONS_MCU = "join_options_mcu"  # not in MCU mode
    MCU_MULTICAST = "mcu_multicast"  # MCU mode not with multicast on
    FORBIDDEN = "forbidden"  # the bridge's account lacks the rights
    BANNED = "banned"  # the bridge's account is blocked
    CREDENTIALS = "credentials"  # the bridge's credentials were refused: a setting to fix
    ACCESS_REFUSED = "access_refused"  # a fresh access token was refused too
    TIMEOUT = "timeout"  # no answer in time
    UNREACHABLE = "unreachable"  # no connection
    UNAVAILABLE = "unavailable"  # up, but not serving now
    SERVER_ERROR = "server_error"  # it failed on its side
    INVALID_RESPONSE = "invalid_response"  # an answer the bridge cannot read
    INVALID_REQUEST = "invalid_request"  # it called the request invalid
    MISSING_FIELD = "missing_field"  # it misses a detail it needs
    OTHER = "other"  # anything else: the sentence names the server's reason


class BackendError(BridgeError):
    """A conference server refused or failed a request.

    ``refusal`` is what it means to the core: it picks the sentence people
    read. ``reason`` is the adapter's own name for it (the server's
    machine-readable reason, or the adapter's for a transport failure), for
    logs and the audit, and named to people only when the core has no
    sentence for it (``Refusal.OTHER``). ``detail`` is the server's human
    message, never containing secrets. ``settings``: the settings that fix
    it, named to people (refused credentials).
    """

    def __init__(
        self,
        reason: str,
        detail: str = "",
        *,
        status: int | None = None,
        refusal: Refusal = Refusal.OTHER,
        settings: tuple[str, ...] = (),
    ) -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
        self.status = status
        self.refusal = refusal
        self.settings = settings


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
