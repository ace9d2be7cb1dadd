"""Between Slack and the core: Slack payload → ``CommandInput``, the core's
``Reply`` → Block Kit posted where it belongs, and retried deliveries skipped."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.inflight import InFlight
from adapters.slack.files import SendFiles, split_files
from adapters.slack.people import Profile, ProfileCache
from adapters.slack.render import BlockRenderer
from adapters.slack.session import Respond, SlackSession
from adapters.slack.texts import text
from adapters.work_pool import RUNNING, WAITING, WorkPool
from bot.chat import ChatRef, Lang, Standing, UserRef
from bot.commands import Command, CommandInput, MeetingForm
from bot.live.book import card_posted
from bot.ports import UnitOfWorkFactory
from bot.reply import Reply, Visibility, error_reply
from bot.service import CommandService

log = logging.getLogger(__name__)

SOURCE = "slack"


class SlackBridge:
    def __init__(
        self,
        service: CommandService,
        uow: UnitOfWorkFactory,
        renderer: BlockRenderer,
        http: SlackSession | None = None,
        people: ProfileCache | None = None,
        *,
        commands_at_once: int = RUNNING,
        commands_queued: int = WAITING,
        channels: frozenset[str] = frozenset(),
    ) -> None:
        self._service = service
        self._uow = uow
        self.renderer = renderer
        self.http = http or SlackSession()
        self.people = people or ProfileCache()
        self._channels = channels  # SLACK_ALLOWED_CHANNELS; empty: every channel
        self.inflight = InFlight()  # listeners still working after their ack
        # Commands' work after their ack.
        self.work = WorkPool(self.inflight, running=commands_at_once, waiting=commands_queued)
        self.capabilities = renderer.capabilities

    async def first_time(self, delivery_id: str) -> bool:
        """Record the delivery in its own committed transaction *before* the work
        it guards. Creating a conference is a side effect on another server that
        no database transaction can undo, so a retry must find the record even
        while the first delivery is still working: at most once, never twice."""
        async with self._uow(transaction=False) as uow:
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
        command: Command | MeetingForm | None = None,
    ) -> CommandInput:
        speaker = await self.profile(client, team_id, user_id)
        return CommandInput(
            text=text,
            command=command,
            chat=ChatRef("slack", team_id, channel_id),
            user=UserRef("slack", team_id, user_id, speaker.name),
            mentions=await self.people.mentions_in(text, client, team_id),
            user_timezone=speaker.zone,
            user_lang=speaker.lang,
            is_private_chat=is_private or channel_id.startswith("D"),
            # A workspace admin: this workspace's meetings and people's links.
            standing=Standing.WORKSPACE_ADMIN if speaker.is_admin else Standing.MEMBER,
        )

    async def profile(self, client: AsyncWebClient, team_id: str, user_id: str) -> Profile:
        return await self.people.lookup(client, team_id, user_id)

    def respond_to(self, response_url: str) -> Respond:
        """Post to a response URL through the kept-alive Slack session."""
        return self.http.responder(response_url)

    def lang_of(self, team_id: str, user_id: str) -> Lang:
        """The person's language if their profile is at hand, else English."""
        known = self.people.kept(team_id, user_id)
        return (known.lang if known else None) or "en"

    async def refuse_busy(self, body: dict[str, Any]) -> None:
        """Tell the person their press or form was not taken: the work pool is full."""
        log.warning("refused a Slack interaction: %d already waiting", self.work.pending)
        await self.tell(body, "busy")

    async def tell(self, body: Mapping[str, Any], key: str) -> None:
        """Post the short note ``key`` to the person who sent ``body`` (a
        command, a button press or a form), only to them."""
        team = body.get("team") or {}
        user = body.get("user") or {}
        team_id = str(body.get("team_id") or team.get("id"))
        user_id = str(body.get("user_id") or user.get("id"))
        urls = [body.get("response_url")] + [
            u.get("response_url") for u in body.get("response_urls") or []
        ]
        url = next((u for u in urls if u), None)
        if url is None:
            return
        try:
            await self.respond_to(url)(
                text=text(key, self.lang_of(team_id, user_id)),
                response_type="ephemeral",
                replace_original=False,
            )
        except Exception as exc:  # nothing more can be said then
            log.warning("could not post the %s note to Slack: %s", key, type(exc).__name__)

    def allows_channel(self, channel: str) -> bool:
        """On ``SLACK_ALLOWED_CHANNELS``, or every channel is allowed."""
        return not self._channels or channel in self._channels

    async def run(self, command_input: CommandInput, *, uploads: bool = False) -> Reply:
        """The core's answer (with files when ``uploads``: the installation may
        put them in the person's DM); for a channel not on ``SLACK_ALLOWED_CHANNELS``
        (a command, a button, the form's chosen channel alike), a note to the
        person alone, and nothing done."""
        channel = command_input.chat.chat_id
        if not self.allows_channel(channel):
            log.warning("refused a command in channel %s: not on SLACK_ALLOWED_CHANNELS", channel)
            lang = command_input.user_lang or "en"
            return error_reply(text("channel_not_allowed", lang).format(channel=channel))
        capabilities = replace(self.capabilities, file_upload=uploads)
        return await self._service.handle(command_input, capabilities)

    async def post(
        self,
        respond: Respond,
        reply: Reply,
        files: SendFiles | None = None,
        *,
        channel: tuple[AsyncWebClient, str] | None = None,
    ) -> None:
        """The reply in the channel, or to the person alone when it is private;
        private notes (a PIN) always to the person alone; its files through
        ``files`` (the person's DM), never into the channel. A meeting's live
        card goes through ``channel`` (the client and channel id) when given:
        chat.postMessage tells its ts, which chat.update needs later."""
        reply, found = split_files(reply)
        for part in (reply, *reply.private_notes):
            message = self.renderer.render(part)
            visible = "in_channel" if part.visibility is Visibility.CHAT else "ephemeral"
            if part is reply and channel is not None and await self._post_card(part, channel):
                continue
            try:
                await respond(
                    text=message.text,
                    blocks=message.blocks,
                    response_type=visible,
                    replace_original=False,
                )
            except Exception as exc:  # a lost post must not end the listener
                log.warning("could not post a reply to Slack: %s", type(exc).__name__)
        if files is not None and found:
            await files(found)

    async def _post_card(self, reply: Reply, channel: tuple[AsyncWebClient, str]) -> bool:
        """Post a live card with chat.postMessage and keep its ts; ``False``
        when it is no card, or the bot may not post there (not in the
        channel): the response URL takes it then, untracked."""
        if reply.card_of is None or reply.visibility is not Visibility.CHAT:
            return False
        client, channel_id = channel
        message = self.renderer.render(reply)
        try:
            answer = await client.chat_postMessage(
                channel=channel_id, text=message.text, blocks=message.blocks
            )
        except SlackApiError as exc:
            log.info("card posted by the response URL: %s", exc.response.get("error"))
            return False
        except Exception as exc:
            log.warning("could not post a card to Slack: %s", type(exc).__name__)
            return False
        await card_posted(self._uow, reply, str(answer.get("ts") or ""))
        return True

    async def home_blocks(
        self, client: AsyncWebClient, team_id: str, user_id: str
    ) -> list[dict[str, Any]]:
        """The person's upcoming meetings, as the core lists them, for App Home."""
        command_input = await self.command_input(
            client, text="list mine", team_id=team_id, channel_id=user_id, user_id=user_id
        )
        # The person's own list, in no channel: SLACK_ALLOWED_CHANNELS has no say.
        # Its presses are taken to each meeting's own channel (chat_of).
        on_home = replace(self.capabilities, presses_find_meeting=True)
        reply = await self._service.handle(command_input, on_home)
        return self.renderer.render(reply).blocks

    async def chat_of(self, meeting_id: int, team_id: str, user_id: str) -> str | None:
        """The channel of a meeting pressed on App Home (which has no channel):
        only one of the presser's own meetings (created or invited to), as the
        tab lists them, so a crafted press reaches no one else's meeting."""
        async with self._uow(transaction=False) as uow:
            meeting = await uow.meetings.get(meeting_id)
            login = await uow.links.get(UserRef("slack", team_id, user_id))
        if meeting is None or meeting.chat.platform != "slack":
            return None
        if meeting.chat.workspace_id != team_id:
            return None
        # Invited by their Slack account, or as their linked server login.
        involved = meeting.creator.user_id == user_id or any(
            i.user_id == user_id or (login and i.login == login) for i in meeting.invitees
        )
        return meeting.chat.chat_id if involved else None
