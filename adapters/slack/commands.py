"""``/meet …``: acknowledged at once, worked on after the acknowledgement.

bolt sends the HTTP answer as soon as ``ack`` is called and lets the listener
go on (``process_before_response`` stays off), so however long the TrueConf
server takes, Slack gets its answer within its 3 seconds.
"""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.bridge import Respond, SlackBridge
from adapters.slack.modal import open_new_meeting_modal
from adapters.slack.people import lookup
from adapters.slack.texts import text


class SlashCommand:
    def __init__(self, bridge: SlackBridge) -> None:
        self._bridge = bridge

    async def __call__(
        self, ack: AsyncAck, body: dict[str, Any], respond: Respond, client: AsyncWebClient
    ) -> None:
        line = str(body.get("text") or "").strip()
        if not line:
            await ack()
            if await self._bridge.first_time(f"command:{body['trigger_id']}"):
                speaker = await lookup(client, body["user_id"])
                await open_new_meeting_modal(
                    client, body["trigger_id"], speaker.lang or "en", speaker.zone
                )
            return
        # Slack sends no locale with a command and a lookup would spend the
        # 3 seconds: the short note is English, the answer speaks their language.
        await ack(text=text("working", "en"))
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
        reply = await self._bridge.run(command_input)
        await self._bridge.post(respond, reply)
