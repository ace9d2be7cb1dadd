"""Between Slack and the core: Slack payload → ``CommandInput``, the core's
``Reply`` → Block Kit posted where it belongs, and retried deliveries skipped."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from adapters.inflight import InFlight
from adapters.slack.people import lookup, mentions_in
from adapters.slack.render import BlockRenderer
from bot.chat import ChatRef, UserRef
from bot.commands import CommandInput
from bot.context import Capabilities
from bot.ports import UnitOfWorkFactory
from bot.reply import Reply, Visibility
from bot.service import CommandService

log = logging.getLogger(__name__)

# bolt's ``respond`` (the response_url of a command, button or modal).
Respond = Callable[..., Awaitable[Any]]
SOURCE = "slack"


class SlackBridge:
    def __init__(
        self, service: CommandService, uow: UnitOfWorkFactory, renderer: BlockRenderer
    ) -> None:
        self._service = service
        self._uow = uow
        self.renderer = renderer
        self.inflight = InFlight()  # listeners still working after their ack
        self.capabilities = Capabilities(
            custom_scheme_links=renderer.opens_app_links,
            ephemeral=True,
            buttons=True,
            modals=True,
            file_upload=False,
        )

    async def first_time(self, delivery_id: str) -> bool:
        """Record the delivery in its own committed transaction *before* the work
        it guards. Creating a conference is a side effect on another server that
        no database transaction can undo, so a retry must find the record even
        while the first delivery is still working: at most once, never twice."""
        async with self._uow() as uow:
            fresh = await uow.deliveries.first_time(SOURCE, delivery_id)
            await uow.commit()
        if not fresh:
            log.info("skipped a repeated Slack delivery")
        return fresh

    async def command_input(
        self,
        client: AsyncWebClient,
        *,
        text: str,
        team_id: str,
        channel_id: str,
        user_id: str,
        is_private: bool = False,
    ) -> CommandInput:
        speaker = await lookup(client, user_id)
        return CommandInput(
            text=text,
            chat=ChatRef("slack", team_id, channel_id),
            user=UserRef("slack", team_id, user_id, speaker.name),
            mentions=await mentions_in(text, client),
            user_timezone=speaker.zone,
            user_lang=speaker.lang,
            is_private_chat=is_private or channel_id.startswith("D"),
            is_admin=speaker.is_admin,
        )

    async def run(self, command_input: CommandInput) -> Reply:
        return await self._service.handle(command_input, self.capabilities)

    async def post(self, respond: Respond, reply: Reply) -> None:
        """The reply in the channel, or to the person alone when it is private;
        private notes (a PIN) always to the person alone."""
        for part in (reply, *reply.private_notes):
            message = self.renderer.render(part)
            visible = "in_channel" if part.visibility is Visibility.CHAT else "ephemeral"
            try:
                await respond(
                    text=message.text,
                    blocks=message.blocks,
                    response_type=visible,
                    replace_original=False,
                )
            except Exception as exc:  # a lost post must not end the listener
                log.warning("could not post a reply to Slack: %s", type(exc).__name__)

    async def home_blocks(
        self, client: AsyncWebClient, team_id: str, user_id: str
    ) -> list[dict[str, Any]]:
        """The person's upcoming meetings, as the core lists them, for App Home."""
        command_input = await self.command_input(
            client, text="list mine", team_id=team_id, channel_id=user_id, user_id=user_id
        )
        reply = await self.run(command_input)
        return self.renderer.render(reply).blocks

    async def chat_of(self, meeting_id: int, team_id: str, user_id: str) -> str | None:
        """The channel of a meeting pressed on App Home (which has no channel):
        only one of the presser's own meetings (created or invited to), as the
        tab lists them, so a crafted press reaches no one else's meeting."""
        async with self._uow() as uow:
            meeting = await uow.meetings.get(meeting_id)
        if meeting is None or meeting.chat.platform != "slack":
            return None
        if meeting.chat.workspace_id != team_id:
            return None
        involved = meeting.creator.user_id == user_id or any(
            i.user_id == user_id for i in meeting.invitees
        )
        return meeting.chat.chat_id if involved else None
