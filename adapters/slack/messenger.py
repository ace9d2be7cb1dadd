"""The Slack ``Messenger``: posts on the bridge's own initiative (reminders)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from http import HTTPStatus

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.render import BlockRenderer
from bot.chat import ChatRef, Platform
from bot.errors import DeliveryError
from bot.reply import Capabilities, Reply

log = logging.getLogger(__name__)

# Slack error codes after which the same message can never be delivered.
PERMANENT = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "account_inactive",
        "invalid_auth",
        "not_authed",
        "token_revoked",
        "team_access_not_granted",
        "restricted_action",
        "no_installation",
    }
)

# chat.update's answers after which the card can never be edited again.
GONE = frozenset({"message_not_found", "cant_update_message", "edit_window_closed"})

# A workspace id → the client that speaks for the bridge there, or None.
ClientFor = Callable[[str], Awaitable[AsyncWebClient | None]]


class SlackMessenger:
    platform: Platform = "slack"

    def __init__(
        self,
        client_for: ClientFor,
        renderer: BlockRenderer,
        *,
        unserved: str = "the bridge is not installed in this workspace",
    ) -> None:
        self._client_for = client_for
        self._renderer = renderer
        self._unserved = unserved  # the reason kept when client_for has no client

    deliverable = True  # any process posts through it

    @property
    def capabilities(self) -> Capabilities:
        return self._renderer.capabilities

    async def send(self, chat: ChatRef, reply: Reply) -> None:
        client = await self._client(chat)
        message = self._renderer.render(reply)
        try:
            await client.chat_postMessage(
                channel=chat.chat_id, text=message.text, blocks=message.blocks
            )
        except SlackApiError as exc:
            raise _refusal(exc) from None
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise DeliveryError(f"slack unreachable: {type(exc).__name__}") from None

    async def edit(self, chat: ChatRef, message_id: str, reply: Reply) -> None:
        """chat.update of the message ``message_id`` (its ts) in the chat."""
        client = await self._client(chat)
        message = self._renderer.render(reply)
        try:
            await client.chat_update(
                channel=chat.chat_id, ts=message_id, text=message.text, blocks=message.blocks
            )
        except SlackApiError as exc:
            raise _refusal(exc, gone=GONE) from None
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise DeliveryError(f"slack unreachable: {type(exc).__name__}") from None

    async def _client(self, chat: ChatRef) -> AsyncWebClient:
        client = await self._client_for(chat.workspace_id)
        if client is None:
            raise DeliveryError(self._unserved, permanent=True)
        return client


def _refusal(exc: SlackApiError, gone: frozenset[str] = frozenset()) -> DeliveryError:
    """Slack's refusal in the core's terms: wait, retry, or give up."""
    code = str(exc.response.get("error") or "")
    if exc.response.status_code == HTTPStatus.TOO_MANY_REQUESTS:
        # slack-sdk already waited and retried; hand the wait to the dispatcher.
        retry_after = exc.response.headers.get("Retry-After", "")
        wait = float(retry_after) if str(retry_after).isdigit() else None
        return DeliveryError("ratelimited", retry_after=wait)
    return DeliveryError(code or "slack_error", permanent=code in PERMANENT or code in gone)
