"""``/meet …``: acknowledged at once, worked on after the acknowledgement.

bolt sends the HTTP answer as soon as the listener returns
(``process_before_response``), so the listener only hands the command on and
acknowledges: however long the TrueConf server takes, Slack gets its answer at
once. The work itself goes to the bridge's ``WorkPool``, so a burst of commands
cannot hold up the acknowledgements of the next ones; the form that a bare
``/meet`` opens goes to a task of its own.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.bridge import SlackBridge
from adapters.slack.entities import decode_text
from adapters.slack.files import bot_may_upload, to_direct_message
from adapters.slack.modal import open_new_meeting_modal
from adapters.slack.session import Respond
from adapters.slack.texts import text

log = logging.getLogger(__name__)


class SlashCommand:
    def __init__(self, bridge: SlackBridge) -> None:
        self._bridge = bridge

    async def __call__(
        self,
        ack: AsyncAck,
        body: dict[str, Any],
        respond: Respond,
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
        answer = self._answer(line, body, respond, client, uploads=bot_may_upload(context))
        if not self._bridge.work.submit(answer, if_dropped=self._bridge.tell(body, "not_done")):
            log.warning("refused a Slack command: %d already waiting", self._bridge.work.pending)
            await ack(text=text("busy", lang))
            return
        await ack(text=text("working", lang))

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

    async def _answer(
        self,
        line: str,
        body: dict[str, Any],
        respond: Respond,
        client: AsyncWebClient,
        *,
        uploads: bool,
    ) -> None:
        if not await self._bridge.first_time(f"command:{body['trigger_id']}"):
            return
        command_input = await self._bridge.command_input(
            client,
            text=line,
            team_id=body["team_id"],
            channel_id=body["channel_id"],
            user_id=body["user_id"],
            is_private=body.get("channel_name") == "directmessage",
        )
        reply = await self._bridge.run(command_input, uploads=uploads)
        if reply.form is not None:  # "/meet edit 12": the meeting's form, filled in
            await open_new_meeting_modal(
                client,
                body["trigger_id"],
                command_input.user_lang or "en",
                command_input.user_timezone,
                reply.form,
                channel=body["channel_id"],
            )
            return
        url = body.get("response_url")
        files = to_direct_message(client, body["user_id"]) if uploads else None
        target = self._bridge.respond_to(url) if url else respond
        await self._bridge.post(target, reply, files, channel=(client, body["channel_id"]))
