"""``ConferenceBackend`` on Callaba: rooms, editing, guest links and room activation."""

from __future__ import annotations

from typing import Self

from adapters.callaba.client import CallabaClient
from adapters.callaba.mapping import conference_from_room, room_body
from bot.errors import BackendError, Refusal
from bot.meeting import Conference, ConferenceSpec, EditField, GuestAccess
from bot.schedule import Instant


class CallabaBackend:
    """Callaba rooms as the core sees them.

    Callaba has rooms and an ``active`` flag, nothing else: no accounts,
    invitations, schedule, PIN or calendar. So a scheduled room is created
    inactive and the bridge's ledger switches it on shortly before each start
    and off after each end (``set_active``); people are chat mentions.
    ``start``/``stop`` are the same switch, by hand. Every call is one request
    but ``stop``, which reads the room first (a closed room is refused).
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

    # Rooms, guest links (the speaker link) and room activation; no
    # invitations: the core keeps people as mentions and never asks for them.
    @property
    def invitations(self) -> None:
        return None

    @property
    def guests(self) -> Self:
        return self

    @property
    def activation(self) -> Self:
        return self

    @property
    def activity(self) -> None:
        # Callaba's API tells nobody who is in a room: its cards stay as posted.
        return None

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

    @property
    def editing(self) -> Self:
        return self

    @property
    def while_running(self) -> frozenset[EditField]:
        # A room keeps its name only; its times are the bridge's ledger.
        return frozenset(EditField)

    async def edit(
        self, conference_id: str, spec: ConferenceSpec, fields: frozenset[EditField]
    ) -> Conference | None:
        """One room update for a new name; a new time or duration is the
        ledger's (the bridge re-plans the room's activation), not the room's."""
        if EditField.TOPIC not in fields:
            return None
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
        """Closes an open room; a closed one is refused as TrueConf refuses to
        stop a conference that is not running (one read first: the update
        answers the room as it is after, whatever it was before)."""
        if not (await self.get(conference_id)).is_running:
            raise BackendError(
                "roomNotActive", "stop: the room is not active", refusal=Refusal.NOT_RUNNING
            )
        await self.set_active(conference_id, False)
        return "stopped"

    async def guest_access(self, conference_id: str, display_name: str) -> GuestAccess:  # noqa: ARG002
        """Anyone with the speaker link joins, under the name they give there;
        it lasts as long as the room."""
        conference = await self.get(conference_id)  # proves the room still exists
        return GuestAccess(browser_url=conference.join.browser_url, expires=False)

    async def check_credentials(self) -> None:
        """One read: proves the server answers and takes the token."""
        await self._client.get_all()

    async def check_ready(self) -> None:
        """For /readyz: the token travels with every call, so any read proves it."""
        await self.check_credentials()
