"""The card's buttons: cancel, guest link and add to calendar.

A button is the command a person would type (``cancel 12``), so the core
decides who may do what (cancel: only the creator or a workspace admin) and
each button answers exactly as its command does. A button's value is the
meeting number; on App Home, where there is no channel, the meeting's own
channel is looked up.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from slack_bolt.async_app import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.bridge import SlackBridge
from adapters.slack.session import Respond
from bot.catalogue import CATALOGUE
from bot.reply import Visibility

ACTION_COMMANDS = {"meet_cancel": "cancel", "meet_guest": "guest", "meet_calendar": "calendar"}
# A repeated button in one message carries a suffix (".2") after its stem.
ACTION_PATTERN = re.compile(r"^meet_(cancel|guest|calendar)(?:\.[0-9]{1,3})?$")
_VALUE = re.compile(r"^([0-9]{1,10})$")


def channel_of(body: dict[str, Any]) -> str | None:
    channel = body.get("channel") or {}
    container = body.get("container") or {}
    found = channel.get("id") or container.get("channel_id")
    return str(found) if found else None


class ButtonAction:
    def __init__(self, bridge: SlackBridge) -> None:
        self._bridge = bridge

    async def __call__(
        self,
        ack: AsyncAck,
        body: dict[str, Any],
        action: dict[str, Any],
        respond: Respond,
        client: AsyncWebClient,
    ) -> None:
        await ack()
        answer = self._answer(body, action, respond, client)
        if not self._bridge.work.submit(answer, if_dropped=self._bridge.tell(body, "not_done")):
            await self._bridge.refuse_busy(body)

    async def _answer(
        self,
        body: dict[str, Any],
        action: dict[str, Any],
        respond: Respond,
        client: AsyncWebClient,
    ) -> None:
        match = _VALUE.match(str(action.get("value") or ""))
        if match is None:
            return  # not a value the bridge wrote
        channel = channel_of(body)
        if channel is None:  # App Home: the meeting's own channel
            channel = await self._bridge.chat_of(
                int(match[1]), body["team"]["id"], body["user"]["id"]
            )
        if channel is None:
            return
        if not await self._bridge.first_time(f"action:{body['trigger_id']}"):
            return
        pressed = ACTION_PATTERN.match(str(action.get("action_id") or ""))
        if pressed is None:
            return
        verb = ACTION_COMMANDS[f"meet_{pressed[1]}"]
        command_input = await self._bridge.command_input(
            client,
            text=f"{verb} {match[1]}",
            team_id=body["team"]["id"],
            channel_id=channel,
            user_id=body["user"]["id"],
        )
        reply = await self._bridge.run(command_input)
        entry = CATALOGUE.named(verb)
        if entry is not None and entry.personal:  # one person's press, not news for the channel
            reply = replace(reply, visibility=Visibility.PRIVATE)
        if body.get("response_url"):
            await self._bridge.post(self._bridge.respond_to(body["response_url"]), reply)
        else:  # App Home has no response URL: the answer goes to the app's DM
            await self._bridge.post(direct_message(client, body["user"]["id"]), reply)


def direct_message(client: AsyncWebClient, user_id: str) -> Respond:
    async def send(*, text: str, blocks: list[dict[str, Any]], **_: Any) -> None:
        await client.chat_postMessage(channel=user_id, text=text, blocks=blocks)

    return send
