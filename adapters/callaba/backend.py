"""``ConferenceBackend`` and ``RoomActivation`` on Callaba."""

from __future__ import annotations

from collections.abc import Sequence

from adapters.callaba.client import CallabaClient
from adapters.callaba.mapping import conference_from_room, room_body
from bot.errors import BackendError, Refusal
from bot.meeting import BackendFeatures, Conference, ConferenceSpec, GuestAccess
from bot.schedule import Instant

FEATURES = BackendFeatures(accounts=False, schedules=False)


class CallabaBackend:
    """Callaba rooms as the core sees them.

    Callaba has rooms and an ``active`` flag, nothing else: no accounts,
    invitations, schedule, PIN or calendar. So a scheduled room is created
    inactive and the bridge's ledger switches it on shortly before each start
    and off after each end (``set_active``); people are chat mentions.
    ``start``/``stop`` are the same switch, by hand. Every call is one request.
    """

    def __init__(self, client: CallabaClient, *, public_url: str | None = None) -> None:
        self._client = client
        # Where people open rooms; the API's own address unless told otherwise.
        self._public_url = (public_url or client.base_url).rstrip("/")

    def __repr__(self) -> str:
        return f"CallabaBackend({self._client!r})"

    @property
    def name(self) -> str:
        return "callaba"

    @property
    def features(self) -> BackendFeatures:
        return FEATURES

    @property
    def client(self) -> CallabaClient:
        return self._client

    def _conference(self, room: dict[str, object], room_id: str) -> Conference:
        return conference_from_room(room, room_id, self._public_url)

    async def create(self, spec: ConferenceSpec) -> Conference:
        # Only a meeting that starts now is open at once; the rest wait for the ledger.
        body = room_body(spec, active=isinstance(spec.schedule, Instant))
        room = await self._client.create(body)
        return self._conference(room, str(room["_id"]))

    async def get(self, conference_id: str) -> Conference:
        return self._conference(await self._client.get_by_id(conference_id), conference_id)

    async def update(self, conference_id: str, spec: ConferenceSpec) -> Conference:
        room = await self._client.update(conference_id, room_body(spec))
        return self._conference(room, conference_id)

    async def delete(self, conference_id: str) -> None:
        await self._client.remove(conference_id)

    async def set_active(self, conference_id: str, active: bool) -> None:
        """``RoomActivation``: open or close the room (closing drops everyone)."""
        await self._client.update(conference_id, {"active": active})

    async def start(self, conference_id: str) -> str:
        await self.set_active(conference_id, True)
        return "running"

    async def stop(self, conference_id: str) -> str:
        await self.set_active(conference_id, False)
        return "stopped"

    # Callaba keeps no invitation list; the core, told by ``features``, keeps
    # the people as mentions and never asks for these.
    async def add_invitations(self, conference_id: str, logins: Sequence[str]) -> None:
        raise BackendError("notOffered", "Callaba has no invitations", refusal=Refusal.NOT_OFFERED)

    async def remove_invitation(self, conference_id: str, login: str) -> None:
        raise BackendError("notOffered", "Callaba has no invitations", refusal=Refusal.NOT_OFFERED)

    async def invite_now(self, conference_id: str, logins: Sequence[str]) -> None:
        raise BackendError("notOffered", "Callaba cannot call people", refusal=Refusal.NOT_OFFERED)

    async def guest_access(self, conference_id: str, display_name: str) -> GuestAccess:
        """Anyone with the speaker link joins; it lasts as long as the room."""
        conference = await self.get(conference_id)  # proves the room still exists
        return GuestAccess(browser_url=conference.join.browser_url, expires=False)

    async def check_credentials(self) -> None:
        """One read: proves the server answers and takes the token."""
        await self._client.get_all()

    async def check_ready(self) -> None:
        """For /readyz: the token travels with every call, so any read proves it."""
        await self.check_credentials()
