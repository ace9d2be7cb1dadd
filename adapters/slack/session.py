"""One kept-alive HTTP session for every Slack call the process makes.

slack-sdk's async clients open (and close) a new aiohttp session, and so a new
TCP and TLS connection, for each call unless they are given one; bolt's
``respond`` always does. A command costs two or three Slack calls (the
speaker's profile, the reply), so a shared session saves a handshake each and
keeps the connections to Slack warm. The session belongs to the running event
loop: it is opened when the Slack component starts and closed when it stops.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

import aiohttp
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

# bolt's ``respond`` (the response_url of a command, button or modal).
Respond = Callable[..., Awaitable[Any]]

REQUEST_TIMEOUT = 10.0  # seconds, as the Web API client's
# Connections kept open to Slack's hosts: enough for a burst of replies.
CONNECTION_LIMIT = 100


class ResponseUrlRefused(Exception):
    """Slack did not take a reply posted to a response URL."""

    def __init__(self, status: int, body: str) -> None:
        super().__init__(f"response_url answered {status}: {body[:100]}")
        self.status = status


class SlackSession:
    def __init__(self, *, timeout: float = REQUEST_TIMEOUT) -> None:
        self._timeout = timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def session(self) -> aiohttp.ClientSession | None:
        """The open session, or ``None`` before ``open`` / after ``close``
        (clients then fall back to a session per call, as slack-sdk does)."""
        if self._session is None or self._session.closed:
            return None
        return self._session

    def open(self) -> aiohttp.ClientSession:
        """Open the session in the running event loop (idempotent)."""
        if self.session is None:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=CONNECTION_LIMIT),
                timeout=aiohttp.ClientTimeout(total=self._timeout),
            )
        assert self._session is not None
        return self._session

    def attach(self, client: AsyncWebClient) -> AsyncWebClient:
        """``client`` sends through the shared session (bolt copies it into the
        client it makes for each request)."""
        client.session = self.session
        return client

    def responder(self, response_url: str) -> Respond:
        """``respond(text=…, blocks=…, response_type=…)`` to ``response_url``
        through the shared session; raises ``ResponseUrlRefused`` when Slack
        does not take the message (bolt's own ``respond`` says nothing then)."""
        webhook = AsyncWebhookClient(
            url=response_url, timeout=int(self._timeout), session=self.session
        )

        async def respond(**message: Any) -> None:
            answer = await webhook.send_dict({k: v for k, v in message.items() if v is not None})
            if answer.status_code != HTTPStatus.OK:
                raise ResponseUrlRefused(answer.status_code, str(answer.body))

        return respond

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None
