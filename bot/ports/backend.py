"""A conference server, by what it can do.

Every server has **rooms** (``Rooms``: create, read, change, remove, run,
stop). Each further capability is an object the server hands out, or
``None`` when it has none, so the core asks before it offers or calls
(``backend.invitations is None``) instead of calling and catching a refusal:

- ``invitations``: the server knows people: it keeps a conference's
  invitation list and calls people into a running one (TrueConf). Without
  it the people named in a command are chat mentions only.
- ``guests``: the server hands out links for people without an account.
- ``activation``: the server keeps no schedule (Callaba), so the bridge
  switches its rooms on and off in time; ``None``: the server runs the
  schedule itself.
- ``editing``: a conference can be changed after it was made (its topic,
  schedule, duration), and the server says which of those may change while
  it runs.
- ``activity``: the server tells who is in a conference, its past sessions
  and its recordings (TrueConf): the live card and the summary. Without it a
  card shows what the bridge itself knows.

Two capabilities a reader might look for are deliberately not here.
**Calendars** are the bridge's own (``bot.calendars``), made from its record
of the meeting for every server alike, so no server is asked for one.
The **user directory** (``UserDirectory``) is a port of its own in ``Deps``:
people link to the accounts of one server, not to the server of a meeting,
and only a server with ``invitations`` has its people looked up.

``features_of`` sums a server's capabilities up as plain data
(``BackendFeatures``) for what renders without calling it (cards, lists,
reminders).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from bot.live.model import Activity, CallLog, Recording
from bot.meeting import (
    BackendFeatures,
    Conference,
    ConferenceSpec,
    DirectoryUser,
    EditField,
    GuestAccess,
)


class Rooms(Protocol):
    """What every conference server offers: its rooms (conferences)."""

    @property
    def name(self) -> str: ...

    async def create(self, spec: ConferenceSpec) -> Conference:
        """Create a conference with its invitations (one request where the server allows)."""
        ...

    async def get(self, conference_id: str) -> Conference: ...

    async def delete(self, conference_id: str) -> None: ...

    async def start(self, conference_id: str) -> str:
        """Run the conference; returns the server's state (``running``/``starting``)."""
        ...

    async def stop(self, conference_id: str) -> str: ...


class Invitations(Protocol):
    """A server's invitation list of its accounts, and calling them in."""

    async def add_invitations(self, conference_id: str, logins: Sequence[str]) -> None: ...

    async def remove_invitation(self, conference_id: str, login: str) -> None: ...

    async def invite_now(self, conference_id: str, logins: Sequence[str]) -> None:
        """Call people into a running conference."""
        ...


class Editing(Protocol):
    """Changing a conference after it was made."""

    @property
    def while_running(self) -> frozenset[EditField]:
        """What may still change while the conference runs."""
        ...

    async def edit(
        self, conference_id: str, spec: ConferenceSpec, fields: frozenset[EditField]
    ) -> Conference | None:
        """Change ``fields`` of the conference to their values in ``spec``, in
        one request, and return it as the server then holds it; ``None`` when
        no request was needed (a room without a schedule has no start to
        move). Refused while it runs with ``Refusal.LOCKED_WHILE_RUNNING`` (or
        ``RUNNING`` where the server takes no edit at all then) when a field
        is not in ``while_running``."""
        ...


class GuestLinks(Protocol):
    """Join links for people without an account on the server."""

    async def guest_access(self, conference_id: str, display_name: str) -> GuestAccess: ...


class RoomActivation(Protocol):
    """Turns a backend's room on and off around a meeting, for backends that
    keep no schedule of their own (Callaba). The reminder dispatcher calls it
    at start − lead and at the end of each occurrence."""

    async def set_active(self, conference_id: str, active: bool) -> None: ...


class UserDirectory(Protocol):
    """The conference server's accounts."""

    async def find_by_login(self, login: str) -> DirectoryUser | None: ...

    async def find_by_email(self, email: str) -> DirectoryUser | None: ...


class ConferenceActivity(Protocol):
    """Who is in a conference now, its past sessions, and its recordings."""

    async def present(self, conference_id: str) -> Activity:
        """Running or not, and the participants in it now."""
        ...

    async def calls(self, conference_id: str, since: datetime) -> Sequence[CallLog]:
        """Its sessions that began at or after ``since``, oldest first, each
        with who took part (server users by name, guests counted)."""
        ...

    async def recordings(self, conference_id: str) -> Sequence[Recording]: ...


class ConferenceBackend(Rooms, Protocol):
    """A conference server: TrueConf, Callaba, or a fake in tests. Its rooms,
    and each further capability or ``None`` (see the module's docstring)."""

    @property
    def invitations(self) -> Invitations | None: ...

    @property
    def guests(self) -> GuestLinks | None: ...

    @property
    def activation(self) -> RoomActivation | None: ...

    @property
    def editing(self) -> Editing | None: ...

    @property
    def activity(self) -> ConferenceActivity | None: ...


def features_of(backend: ConferenceBackend) -> BackendFeatures:
    """What ``backend`` offers, as plain data: derived from its capabilities,
    never declared beside them."""
    return BackendFeatures(
        accounts=backend.invitations is not None,
        schedules=backend.activation is None,
        guests=backend.guests is not None,
    )
