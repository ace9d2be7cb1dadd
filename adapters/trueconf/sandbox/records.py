"""What the sandbox stores: its users and conferences, and how users are looked up."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from adapters.trueconf.sandbox.errors import not_found


@dataclass(frozen=True, slots=True)
class SandboxUser:
    login: str
    email: str
    display_name: str
    online: bool = True


DEFAULT_USERS: tuple[SandboxUser, ...] = tuple(
    SandboxUser(login, f"{login}@example.com", display)
    for login, display in (
        ("alice", "Alice Archer"),
        ("bob", "Bob Baker"),
        ("carol", "Carol Cooper"),
        ("dave", "Dave Dawson"),
        ("oncall", "On-call Engineer"),
        ("helen", "Helen Hughes"),
        ("admin", "Administrator"),
    )
)


@dataclass(slots=True)
class Conference:
    """One stored conference. ``schedule`` is kept as validated, not as rendered."""

    id: str
    topic: str
    owner: str
    type: int
    schedule: dict[str, Any]
    invitations: list[str]
    created_at: int
    description: str = ""
    max_participants: int | None = None
    auto_invite: int = 0
    pin: str | None = None
    allow_guests: bool = False
    state: str = "stopped"
    participants: list[str] = field(default_factory=list)
    called: list[str] = field(default_factory=list)


def find_user(users: Mapping[str, SandboxUser], ident: Any) -> SandboxUser | None:
    """The user a request names, by bare login or by ``login@server`` as the API allows."""
    if not isinstance(ident, str) or not ident:
        return None
    if ident in users:
        return users[ident]
    login, _, _server = ident.partition("@")
    return users.get(login) if _server else None


def require_user(users: Mapping[str, SandboxUser], ident: Any) -> SandboxUser:
    """``find_user``, answering ``userNotFound`` as every endpoint naming a user does."""
    user = find_user(users, ident)
    if user is None:
        raise not_found("userNotFound", f"User {ident} is not found.")
    return user
