"""``/meet …``: verified, accepted into the database, acknowledged.

bolt sends the HTTP answer as soon as the listener returns
(``process_before_response``). A command with text is written to the
accepted-commands queue in one statement and acknowledged (one from a channel
not on SLACK_ALLOWED_CHANNELS is refused at once, and not written); a worker process
does the work and posts the answer (``adapters.slack.work``), so however long
the TrueConf server takes, and however much CPU the work costs, the next
acknowledgement does not wait behind it. A full queue is answered "busy" at
once, and a repeated delivery (same trigger) adds nothing. The form a bare
``/meet`` opens is one Slack call: a task of its own here.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.bridge import SlackBridge
from adapters.slack.entities import decode_text
from adapters.slack.files import bot_may_upload
from adapters.slack.modal import open_new_meeting_modal
from adapters.slack.render import escape
from adapters.slack.texts import text
from adapters.slack.work import command_payload, order_of
from bot.clock import Clock
from bot.ports.queue import Acceptance, CommandQueue

log = logging.getLogger(__name__)

# Slack gives up on an acknowledgement after 3 s and shows the person an
# error; a write that takes longer than this (a stalled database) is answered
# as slow in time, and goes on: it may still land, and then it is worked on.
ACCEPT_WITHIN = 2.0


class SlashCommand:
    def __init__(
        self,
        bridge: SlackBridge,
        queue: CommandQueue,
        clock: Clock,
        *,
        backlog: int,
        accept_within: float = ACCEPT_WITHIN,
    ) -> None:
        self._bridge = bridge
        self._queue = queue
        self._clock = clock
        self._backlog = backlog  # unfinished commands past which new ones are "busy"
        self._accept_within = accept_within

    async def __call__(
        self,
        ack: AsyncAck,
        body: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        line = decode_text(str(body.get("text") or "")).strip()
        if not line:
            await ack()
            self._bridge.inflight.spawn(self._open_form(body, client))
            return
        # Slack sends no locale with a command and a lookup would spend the
        # 3 seconds: the short note speaks their language once it is known.
        lang = self._bridge.lang_of(body["team_id"], body["user_id"])
        channel = body["channel_id"]
        if not self._bridge.allows_channel(channel):
            # Refused before it is written: a channel that may not use the
            # bridge takes none of the backlog the allowed ones share.
            log.warning("refused a command in channel %s: not on SLACK_ALLOWED_CHANNELS", channel)
            await ack(text=text("channel_not_allowed", lang).format(channel=escape(channel)))
            return
        payload = command_payload(body, line, uploads=bot_may_upload(context))
        accepting = asyncio.ensure_future(
            self._queue.accept(
                f"command:{body['trigger_id']}",
                order_of(payload),
                payload,
                now=self._clock.now(),
                backlog=self._backlog,
            )
        )
        try:
            accepted = await asyncio.wait_for(asyncio.shield(accepting), self._accept_within)
        except TimeoutError:
            # Not cancelled: a statement cut off may have committed all the same.
            log.warning("a Slack command was not accepted within %gs: told so", self._accept_within)
            self._bridge.inflight.spawn(self._settle(accepting, body))
            await ack(text=text("slow", lang))
            return
        except Exception as exc:  # the database is unreachable: say so, never a 500
            log.warning("could not accept a Slack command: %s", type(exc).__name__)
            await ack(text=text("unavailable", lang))
            return
        if accepted is Acceptance.REPEATED:
            log.info("skipped a repeated Slack delivery")
        elif accepted in (Acceptance.FULL, Acceptance.BACKED_UP):
            why = (
                f"{self._backlog} unfinished already"
                if accepted is Acceptance.FULL
                else "too many wait for the database to take them"
            )
            log.warning("refused a Slack command: %s", why)
            await ack(text=text("busy", lang))
            return
        await ack(text=text("working", lang))

    async def _settle(self, accepting: asyncio.Future[Acceptance], body: dict[str, Any]) -> None:
        """A write answered as slow, seen to its end. Accepted, the command is
        answered by the work as usual; otherwise the person is told that
        nothing was done (the acknowledgement said they would be), so
        nobody sends it again while it may still run."""
        try:
            accepted = await accepting
        except Exception as exc:
            log.warning("a slow Slack command was not accepted: %s", type(exc).__name__)
            await self._bridge.tell(body, "unavailable")
            return
        log.info("a slow Slack command was accepted late: %s", accepted.value)
        if accepted in (Acceptance.FULL, Acceptance.BACKED_UP):
            await self._bridge.tell(body, "busy")

    async def _open_form(self, body: dict[str, Any], client: AsyncWebClient) -> None:
        if await self._bridge.first_time(f"command:{body['trigger_id']}"):
            speaker = await self._bridge.profile(client, body["team_id"], body["user_id"])
            await open_new_meeting_modal(
                client,
                body["trigger_id"],
                speaker.lang or "en",
                speaker.zone,
                channel=body["channel_id"],
            )
