"""``ConferenceBackend`` (rooms, invitations, guest links) and ``UserDirectory``
on TrueConf Server."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from http import HTTPStatus
from typing import Self

from adapters.trueconf.activity import (
    call_from_json,
    log_time,
    participant_from_json,
    record_from_json,
)
from adapters.trueconf.client import TrueConfClient
from adapters.trueconf.mapping import (
    conference_body,
    conference_from_json,
    deeplinks_of,
    edit_body,
    user_from_json,
    web_client_url,
)
from bot.clock import Clock
from bot.errors import BackendError, Refusal
from bot.live.model import Activity, CallLog, Recording
from bot.meeting import Conference, ConferenceSpec, DirectoryUser, EditField, GuestAccess
from bot.timerules import zone_info

# The setting a wrong API version is fixed in.
VERSION_SETTING = "TRUECONF_API_VERSION"

# The topic, the schedule and its duration: none while a conference runs (the
# reference, v3.3 on: "Only field description can be edited during a
# conference call"; v3.1 and v3.2: "A running conference … unavailable for
# editing").
EDITABLE_WHILE_RUNNING: frozenset[EditField] = frozenset()


class TrueConfBackend:
    """A TrueConf Server as the core sees it.

    Request counts: create, get, edit, delete, start, stop, invite_now,
    guest_access and find_by_login are one request each;
    add_invitations is one POST per login; find_by_email reads every user page.

    ``add_invitations`` uses the documented invitations endpoint (one POST per
    login) rather than a read-modify-write PUT of the whole list: the Conference
    object does not mark ``invitations`` as editable, a PUT is refused while the
    conference runs, and a read-modify-write races with other editors.
    ``edit`` sends only the changed fields in one PUT (``topic``, or the
    ``schedule`` object, which carries the duration). None of them may change
    while the conference runs: from API v3.3 on only ``description`` may
    (``conferenceFieldUnavailableForChange``), before it nothing may
    (``conferenceUnavailableForChange``).
    """

    def __init__(
        self,
        client: TrueConfClient,
        *,
        server_zone: str,
        clock: Clock,
        server_host: str | None = None,
    ) -> None:
        zone_info(server_zone)  # fail early on a wrong TRUECONF_SERVER_TIMEZONE
        self._client = client
        self._server_zone = server_zone
        self._clock = clock
        self._host = server_host or client.server_host

    @property
    def name(self) -> str:
        return "trueconf"

    # Accounts with invitations, guest links and its own schedule: every
    # capability the core can use but room activation (it runs the schedule).
    @property
    def invitations(self) -> Self:
        return self

    @property
    def guests(self) -> Self:
        return self

    @property
    def activation(self) -> None:
        return None

    @property
    def editing(self) -> Self:
        return self

    @property
    def while_running(self) -> frozenset[EditField]:
        return (
            EDITABLE_WHILE_RUNNING if self._client.api_version >= (3, 3) else frozenset(EditField)
        )

    @property
    def activity(self) -> Self:
        return self

    @property
    def client(self) -> TrueConfClient:
        return self._client

    def _conference(self, data: dict[str, object]) -> Conference:
        return conference_from_json(data, self._host)

    async def create(self, spec: ConferenceSpec) -> Conference:
        body = conference_body(spec, self._server_zone, self._clock.now())
        return self._conference(await self._client.create_conference(body))

    async def get(self, conference_id: str) -> Conference:
        return self._conference(await self._client.get_conference(conference_id))

    async def edit(
        self, conference_id: str, spec: ConferenceSpec, fields: frozenset[EditField]
    ) -> Conference | None:
        body = edit_body(spec, fields, self._server_zone, self._clock.now())
        if not body:
            return None
        return self._conference(await self._client.edit_conference(conference_id, body))

    async def delete(self, conference_id: str) -> None:
        await self._client.delete_conference(conference_id)

    async def start(self, conference_id: str) -> str:
        return await self._client.run_conference(conference_id)

    async def stop(self, conference_id: str) -> str:
        return await self._client.stop_conference(conference_id)

    async def add_invitations(self, conference_id: str, logins: Sequence[str]) -> None:
        for login in dict.fromkeys(logins):
            await self._client.add_invitation(conference_id, login)

    async def remove_invitation(self, conference_id: str, login: str) -> None:
        try:
            await self._client.delete_invitation(conference_id, login)
        except BackendError as exc:
            # Taken off already (on the server, by an administrator): what was
            # asked. The API reference names no answer for a missing invitation
            # (the sandbox says invitationNotFound): any 404 the API gave a
            # reason for but the conference's. One without (a proxy's page, a
            # path not served) says nothing of the invitation.
            gone = exc.reason == "invitationNotFound" or (
                exc.status == HTTPStatus.NOT_FOUND
                and exc.refusal not in (Refusal.NOT_FOUND, Refusal.INVALID_RESPONSE)
            )
            if not gone:
                raise

    async def invite_now(self, conference_id: str, logins: Sequence[str]) -> None:
        unique = list(dict.fromkeys(logins))
        if unique:
            await self._client.invite(conference_id, unique)

    async def guest_access(self, conference_id: str, display_name: str) -> GuestAccess:
        payload = await self._client.guest_clients(conference_id, display_name)
        browser_url = web_client_url(payload)
        if not browser_url:
            raise BackendError(
                "invalidResponse",
                "no TrueConf Web client in the answer",
                refusal=Refusal.INVALID_RESPONSE,
            )
        app, android = deeplinks_of(payload)
        return GuestAccess(browser_url=browser_url, app_deeplink=app, android_intent=android)

    # -- ConferenceActivity: the live card and the summary ---------------------

    async def present(self, conference_id: str) -> Activity:
        """One call while it is not running, two while it is."""
        conference = await self.get(conference_id)
        if not conference.is_running:
            return Activity(running=False)
        people = await self._client.participants(conference_id)
        return Activity(True, tuple(participant_from_json(p) for p in people))

    async def calls(self, conference_id: str, since: datetime) -> list[CallLog]:
        found: list[CallLog] = []
        for data in await self._client.call_logs(conference_id):
            started = log_time(data.get("start_time"))
            session = data.get("conference_id")
            if started is None or started < since or not isinstance(session, str) or not session:
                continue
            people = await self._client.call_participants(session)
            found.append(call_from_json(data, people))
        return sorted(found, key=lambda c: c.started or since)

    async def recordings(self, conference_id: str) -> list[Recording]:
        return [record_from_json(r) for r in await self._client.records(conference_id)]

    async def check_credentials(self) -> None:
        """Fetch a token, then make one call with it: the server is reachable,
        takes the credentials, and serves the API version asked for."""
        await self._client.check_credentials()
        try:
            await self._client.probe()
        except BackendError as exc:
            if exc.status != HTTPStatus.NOT_FOUND:
                raise
            # The token came from this address, so the address is right: the
            # version is what the server does not serve.
            major, minor = self._client.api_version
            detail = f"the server answers no API v{major}.{minor}"
            raise BackendError(
                exc.reason, detail, status=exc.status, settings=(VERSION_SETTING,)
            ) from exc

    async def check_ready(self) -> None:
        """An authenticated call, for /readyz: a cached token alone proves nothing
        about a server that has since gone away or revoked the application."""
        await self._client.probe()

    async def server_time_offsets(self) -> list[int]:
        """``time_offset`` of every weekly conference on the server (minutes east of
        UTC): the only place the API reveals the server's zone."""
        offsets: list[int] = []
        for data in await self._client.list_conferences():
            schedule = data.get("schedule")
            if isinstance(schedule, dict) and schedule.get("type") == 0:
                offset = schedule.get("time_offset")
                if isinstance(offset, int):
                    offsets.append(offset)
        return offsets

    async def find_by_login(self, login: str) -> DirectoryUser | None:
        data = await self._client.get_user(login)
        return user_from_json(data) if data is not None else None

    async def find_by_email(self, email: str) -> DirectoryUser | None:
        users = await self._client.find_users_by_email(email)
        return user_from_json(users[0]) if users else None
