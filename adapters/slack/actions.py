"""Every button press: one handler. A button's value is the catalogue's
button token (``m2:cancel:12``); decoded, it is the command the button stands
for, served by the core as if typed, so the same checks apply (cancel: only the
creator or a workspace admin). On App Home, where there is no channel, the
meeting's own channel is looked up.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.bridge import SlackBridge
from adapters.slack.files import bot_may_upload, to_direct_message
from adapters.slack.render import ACTION_PREFIX
from adapters.slack.session import Respond
from bot.catalogue import CATALOGUE
from bot.commands import Command, meeting_ref_of
from bot.reply import Visibility

# Buttons of the previous release, still in channels' history: the action said
# what, the value which meeting. Read for one more release.
_OLD_ACTIONS = {"meet_cancel": "cancel", "meet_guest": "guest", "meet_calendar": "cal"}
# A repeated button in one message carries a suffix (".2") after its stem.
ACTION_PATTERN = re.compile(
    rf"^({ACTION_PREFIX}[a-z_]{{1,32}}|{'|'.join(_OLD_ACTIONS)})(?:\.[0-9]{{1,3}})?$"
)


def pressed(action: dict[str, Any]) -> Command | None:
    """The command a press stands for; ``None`` for anything the bridge did not write."""
    value = str(action.get("value") or "")
    old = _OLD_ACTIONS.get(str(action.get("action_id")).split(".")[0])
    return CATALOGUE.pressed(f"m1:{old}:{value}" if old else value)


def channel_of(body: dict[str, Any]) -> str | None:
    channel, container = body.get("channel"), body.get("container")
    found = (channel.get("id") if isinstance(channel, dict) else None) or (
        container.get("channel_id") if isinstance(container, dict) else None
    )
    return found if isinstance(found, str) and found else None


class ButtonAction:
    def __init__(self, bridge: SlackBridge) -> None:
        self._bridge = bridge

    async def __call__(
        self,
        ack: AsyncAck,
        body: dict[str, Any],
        action: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        await ack()
        answer = self._answer(body, action, client, uploads=bot_may_upload(context))
        if not self._bridge.work.submit(answer, if_dropped=self._bridge.tell(body, "not_done")):
            self._bridge.inflight.spawn(self._bridge.refuse_busy(body))

    async def _answer(
        self,
        body: dict[str, Any],
        action: dict[str, Any],
        client: AsyncWebClient,
        *,
        uploads: bool,
    ) -> None:
        command = pressed(action)
        if command is None:
            return  # not a value the bridge wrote
        channel = channel_of(body)
        ref = meeting_ref_of(command)
        if channel is None and ref is not None and ref.isdigit():
            # App Home: the meeting's own channel
            channel = await self._bridge.chat_of(int(ref), body["team"]["id"], body["user"]["id"])
        if channel is None:
            return
        if not await self._bridge.first_time(f"action:{body['trigger_id']}"):
            return
        command_input = await self._bridge.command_input(
            client,
            text="",
            command=command,
            team_id=body["team"]["id"],
            channel_id=channel,
            user_id=body["user"]["id"],
        )
        reply = await self._bridge.run(command_input, uploads=uploads)
        files = to_direct_message(client, body["user"]["id"]) if uploads else None
        if CATALOGUE.of(command).personal:  # one person's press, not news for the channel
            reply = replace(reply, visibility=Visibility.PRIVATE)
        if body.get("response_url"):
            respond = self._bridge.respond_to(body["response_url"])
            await self._bridge.post(respond, reply, files, channel=(client, channel))
        else:  # App Home has no response URL: the answer goes to the app's DM
            await self._bridge.post(direct_message(client, body["user"]["id"]), reply, files)


def direct_message(client: AsyncWebClient, user_id: str) -> Respond:
    async def send(*, text: str, blocks: list[dict[str, Any]], **_: Any) -> None:
        await client.chat_postMessage(channel=user_id, text=text, blocks=blocks)

    return send
