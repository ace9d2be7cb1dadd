"""The App Home tab: the person's upcoming meetings, with the card's actions."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.bridge import SlackBridge
from adapters.slack.modal import open_new_meeting_modal
from adapters.slack.texts import text
from bot.chat import Lang

HOME_BLOCKS_MAX = 100  # Slack's limit for a view


def home_view(lang: Lang, listing: list[dict[str, Any]]) -> dict[str, Any]:
    """The tab: a "new meeting" button over the person's meetings, within
    the blocks a view may hold."""
    blocks: list[dict[str, Any]] = [
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "action_id": "meet_new",
                    "text": {"type": "plain_text", "text": text("home.new", lang)},
                    "style": "primary",
                }
            ],
        },
    ]
    blocks.extend(listing[: HOME_BLOCKS_MAX - len(blocks)])
    return {"type": "home", "blocks": blocks}


class HomeTab:
    def __init__(self, bridge: SlackBridge) -> None:
        self._bridge = bridge

    async def opened(
        self, event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient
    ) -> None:
        """bolt acknowledges the event when this returns: the tab is built after."""
        if event.get("tab") == "home":
            self._bridge.inflight.spawn(self._publish(body, str(event["user"]), client))

    async def _publish(self, body: dict[str, Any], user_id: str, client: AsyncWebClient) -> None:
        speaker = await self._bridge.profile(client, body["team_id"], user_id)
        lang = speaker.lang or "en"
        listing = await self._bridge.home_blocks(client, body["team_id"], user_id)
        await client.views_publish(user_id=user_id, view=home_view(lang, listing))

    async def new_meeting(
        self, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await ack()
        self._bridge.inflight.spawn(self._open_form(body, client))

    async def _open_form(self, body: dict[str, Any], client: AsyncWebClient) -> None:
        speaker = await self._bridge.profile(client, body["team"]["id"], body["user"]["id"])
        # App Home is no conversation: the form's picker chooses where it posts.
        await open_new_meeting_modal(
            client, body["trigger_id"], speaker.lang or "en", speaker.zone, channel=""
        )
