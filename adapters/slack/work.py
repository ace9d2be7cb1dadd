"""The work of acknowledged ``/meet …`` commands, in a process of its own.

The process that answers Slack's requests only verifies them, writes each
command to the accepted-commands queue (one statement) and acknowledges
(``commands.SlashCommand``). A worker (``meetbridge work``; ``serve`` starts
one as its child unless told otherwise) claims the rows under a lease, works
on up to ``SLACK_COMMANDS_AT_ONCE`` at a time, posts each answer where the
command asked for it (the response URL: a private answer reaches its person
only) and marks the row. Acknowledgements and work so no longer share an
event loop, and the operating system, not the loop, shares the cores.

A row outlives both processes: a command acknowledged before a crash of
either is claimed again once its holder's lease has run out, and worked on
then, from the start (its key kept it from being accepted twice). A worker
that only stalled past its lease (paused, starved of CPU) and finds, by its
clock or its renewal, that another worker has the command now does not
begin it. A command
that cannot be finished in ``MAX_ATTEMPTS`` claims is given up, and one whose
response URL has expired (Slack keeps it 30 minutes) is not started: its
person is told either way.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import Awaitable, Callable, Mapping
from datetime import timedelta
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from adapters.leases import LeaseBook
from adapters.slack.bridge import SlackBridge
from adapters.slack.files import to_direct_message
from adapters.slack.modal import open_new_meeting_modal
from bot.clock import Clock
from bot.ports.queue import CommandQueue, QueuedCommand
from bot.tracing import ensure_request_scope

log = logging.getLogger(__name__)

SOURCE = "slack"
MAX_ATTEMPTS = 3
# Slack's response URLs take answers for 30 minutes after the command.
RESPONSE_URL_LIFETIME = timedelta(minutes=30)
# Finished rows (their keys only) are kept this long: a late retry of the
# same delivery is still recognised.
RETENTION = timedelta(days=1)
PURGE_EVERY = timedelta(minutes=10)
# How often, per lease, a worker renews the leases of the commands it runs.
RENEWALS_PER_LEASE = 3

ClientFor = Callable[[str], Awaitable[AsyncWebClient | None]]


def command_payload(body: Mapping[str, Any], line: str, *, uploads: bool) -> dict[str, Any]:
    """What the worker needs of a slash command: never a token."""
    return {
        "text": line,
        "team_id": str(body["team_id"]),
        "channel_id": str(body["channel_id"]),
        "user_id": str(body["user_id"]),
        "private": body.get("channel_name") == "directmessage",
        "response_url": str(body.get("response_url") or ""),
        "trigger_id": str(body.get("trigger_id") or ""),
        "uploads": uploads,
    }


def order_of(payload: Mapping[str, Any]) -> str:
    """One person's commands in one chat are worked on in the order sent."""
    return f"{payload['team_id']}:{payload['channel_id']}:{payload['user_id']}"


class CommandWorker:
    """Claims accepted Slack commands and answers them (see the module)."""

    def __init__(
        self,
        bridge: SlackBridge,
        queue: CommandQueue,
        client_for: ClientFor,
        clock: Clock,
        *,
        at_once: int,
        lease: timedelta,
    ) -> None:
        self._bridge = bridge
        self._queue = queue
        self._client_for = client_for
        self._clock = clock
        self._at_once = at_once
        self._lease = lease
        self._owner = f"work-{secrets.token_hex(6)}"
        self._wake = asyncio.Event()
        self._running: set[asyncio.Task[None]] = set()
        # Commands claimed and not yet finished (``adapters.leases``).
        self._held = LeaseBook(lease / 5)
        self._loop: asyncio.Task[None] | None = None
        self._stopping = False

    def wake(self) -> None:
        """A command was accepted: look now rather than at the next poll."""
        self._wake.set()

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop().create_task(self._claiming())

    async def stop(self) -> None:
        """No new claims; the commands being worked on are finished (the
        caller bounds how long), and any left unfinished are released so the
        next worker takes them at once."""
        self._stopping = True
        self._wake.set()
        if self._loop is not None:
            await asyncio.gather(self._loop, return_exceptions=True)
        if self._running:
            log.info("finishing %d Slack command(s) in flight", len(self._running))
        try:
            await asyncio.gather(*self._running, return_exceptions=True)
        finally:
            await self._queue.release(self._owner)

    async def _claiming(self) -> None:
        purged = renewed = self._clock.now() - PURGE_EVERY
        while not self._stopping:
            self._wake.clear()
            free = self._at_once - len(self._running)
            claimed: list[QueuedCommand] = []
            try:
                now = self._clock.now()
                # Held commands keep their lease while they run, however long.
                if self._running and now - renewed >= self._lease / RENEWALS_PER_LEASE:
                    renewed = now
                    asked = self._held.asked()
                    kept = await self._queue.renew(self._owner, now + self._lease)
                    if self._held.note_renewed(asked, kept, now + self._lease):
                        log.warning(
                            "a Slack command was taken over by another worker "
                            "(this one stalled past its lease)"
                        )
                if free > 0:
                    claimed = await self._queue.claim(self._owner, now, self._lease, free)
                    self._held.claimed((command.id for command in claimed), now + self._lease)
                    if now - purged >= PURGE_EVERY:
                        purged = now
                        await self._queue.purge(now - RETENTION)
            except Exception as exc:  # the database is down: try again shortly
                log.warning("could not claim Slack commands: %s", type(exc).__name__)
            for command in claimed:
                task = asyncio.get_running_loop().create_task(self._work(command))
                self._running.add(task)
                task.add_done_callback(self._ended)
            if claimed and len(claimed) == free:
                continue  # there may be more, and room only once one ends
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._queue.poll_seconds)

    def _ended(self, task: asyncio.Task[None]) -> None:
        self._running.discard(task)
        self._wake.set()  # room for one more, and its chat's next command may be due

    async def _work(self, command: QueuedCommand) -> None:
        payload = command.payload
        done = True
        if not self._held.still_ours(command.id, self._clock.now()):
            # Its lease ran out before its work began (this worker stalled):
            # another worker may have it now. If none took it, it is given
            # back, for any worker (this one never claims its own lapsed row).
            self._held.drop(command.id)
            log.warning("a Slack command's lease ran out before its work began: not begun")
            with contextlib.suppress(Exception):  # else its lease lapses for others
                await self._queue.give_back(command.id, self._owner)
            return
        with ensure_request_scope():
            try:
                if self._clock.now() - command.accepted_at > RESPONSE_URL_LIFETIME:
                    log.warning("a Slack command waited past its response URL: not done")
                    await self._bridge.tell(payload, "expired")
                    done = False
                elif command.attempts > MAX_ATTEMPTS:
                    log.warning("gave up a Slack command after %d claims", MAX_ATTEMPTS)
                    await self._bridge.tell(payload, "failed")
                    done = False
                else:
                    await self._answer(payload)
            except Exception:  # one command's failure must not pass unseen, nor stop others
                log.exception("a Slack command failed after its acknowledgement")
                await self._bridge.tell(payload, "failed")
                done = False
            self._held.drop(command.id)  # a renewal from now on would not keep it
            try:
                kept = await self._queue.finish(
                    command.id, self._owner, self._clock.now(), done=done
                )
            except Exception as exc:  # claimed again once its lease runs out
                log.warning("could not mark a Slack command finished: %s", type(exc).__name__)
                return
            if not kept:
                log.warning(
                    "a Slack command was taken over by another worker while this one "
                    "worked on it (it stalled past its lease): its person may be answered twice"
                )

    async def _answer(self, payload: Mapping[str, Any]) -> None:
        client = await self._client_for(payload["team_id"])
        if client is None:  # the workspace left the allowlist, or uninstalled the app
            log.warning("dropped a Slack command of a workspace the bridge no longer serves")
            return
        command_input = await self._bridge.command_input(
            client,
            text=payload["text"],
            team_id=payload["team_id"],
            channel_id=payload["channel_id"],
            user_id=payload["user_id"],
            is_private=bool(payload["private"]),
        )
        uploads = bool(payload["uploads"])
        reply = await self._bridge.run(command_input, uploads=uploads)
        if reply.form is not None:  # "/meet edit 12": the meeting's form, filled in
            await open_new_meeting_modal(
                client,
                payload["trigger_id"],
                command_input.user_lang or "en",
                command_input.user_timezone,
                reply.form,
                channel=payload["channel_id"],
            )
            return
        respond = self._bridge.respond_to(payload["response_url"])
        files = to_direct_message(client, payload["user_id"]) if uploads else None
        await self._bridge.post(respond, reply, files, channel=(client, payload["channel_id"]))
