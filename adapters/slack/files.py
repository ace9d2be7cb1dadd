"""Files of a personal answer (a meeting's .ics), uploaded to the person's own
direct message with the bot.

Slack has no ephemeral uploads: a file shared in the channel would be seen by
everyone there, so it goes to the DM instead (``conversations.open`` needs
``im:write``, the upload ``files:write``). Without both scopes the answer keeps
only the signed link, as before.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace

import aiohttp
from slack_bolt.async_app import AsyncBoltContext
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.reply import File, Reply

log = logging.getLogger(__name__)

# Both are needed: files:write to upload, im:write to open the DM it goes to.
FILE_SCOPES = frozenset({"files:write", "im:write"})

# Hands the files of an answer to the person it is for.
SendFiles = Callable[[tuple[File, ...]], Awaitable[None]]


def can_upload(bot_scopes: Sequence[str] | None) -> bool:
    """Whether the installation's token (its scopes, as Slack reported them at
    install or in ``auth.test``) may upload files to the person's DM."""
    return set(bot_scopes or ()) >= FILE_SCOPES


def bot_may_upload(context: AsyncBoltContext) -> bool:
    """The scopes bolt found for this workspace's token allow the upload."""
    found = context.authorize_result
    return found is not None and can_upload(found.bot_scopes)


def split_files(reply: Reply) -> tuple[Reply, tuple[File, ...]]:
    """The reply without its files (posted as a message), and the files."""
    files = tuple(b for b in reply.blocks if isinstance(b, File))
    rest = tuple(b for b in reply.blocks if not isinstance(b, File))
    return replace(reply, blocks=rest), files


def to_direct_message(client: AsyncWebClient, user_id: str) -> SendFiles:
    async def send(files: tuple[File, ...]) -> None:
        if not files:
            return
        try:
            opened = await client.conversations_open(users=user_id)
            channel = str(opened["channel"]["id"])
            for file in files:
                await client.files_upload_v2(
                    channel=channel, filename=file.name, content=file.content, title=file.name
                )
        except SlackApiError as exc:
            log.warning("Slack refused the file upload: %s", exc.response.get("error"))
        except (SlackClientError, aiohttp.ClientError, TimeoutError) as exc:
            log.warning("could not upload a file to Slack: %s", type(exc).__name__)

    return send
