"""Slack as a part of ``meetbridge serve``: ``/slack/events`` (commands,
interactivity and events), the OAuth install routes in multi-workspace mode,
Socket Mode when ``SLACK_APP_TOKEN`` is set, and the messenger for reminders."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import aiohttp
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.adapter.starlette.async_handler import (
    AsyncSlackRequestHandler,
    to_starlette_response,
)
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from adapters.http.open_link import OpenLinks
from adapters.http.readiness import CheckResult, failed, passed
from adapters.reconnect import OneLineLogger, Reconnecting
from adapters.slack.app import build_bolt_app
from adapters.slack.bridge import SlackBridge
from adapters.slack.client import web_client
from adapters.slack.commands import SlashCommand
from adapters.slack.config import SlackConfig
from adapters.slack.gate import SlackGate, unreadable
from adapters.slack.home import HomeTab
from adapters.slack.installations import EncryptedInstallationStore
from adapters.slack.messenger import PERMANENT, SlackMessenger
from adapters.slack.oauth import INSTALL_PATH, REDIRECT_PATH, oauth_settings
from adapters.slack.render import BlockRenderer
from adapters.slack.session import SlackSession
from adapters.slack.work import CommandWorker
from bot.clock import Clock
from bot.errors import DeliveryError
from bot.messengers import Messengers
from bot.metrics import Metrics
from bot.ports import CommandQueue, UnitOfWorkFactory
from bot.service import CommandService

log = logging.getLogger(__name__)

# Why a send to another team's chat failed, one bot token serving its own.
UNSERVED = "the chat's workspace is not the bot token's: one bot token serves its own team alone"


class SlackComponent:
    name = "slack"

    def __init__(
        self,
        config: SlackConfig,
        service: CommandService,
        uow: UnitOfWorkFactory,
        messengers: Messengers,
        *,
        queue: CommandQueue,
        clock: Clock,
        installations: EncryptedInstallationStore | None = None,
        public_url: str | None = None,
        open_links: OpenLinks | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        self._config = config
        self._metrics = metrics
        self._queue = queue
        self._clock = clock
        self._messengers = messengers
        renderer = BlockRenderer(open_links)
        self._http = SlackSession()
        self._bridge = SlackBridge(
            service,
            uow,
            renderer,
            self._http,
            commands_at_once=config.commands_at_once,
            commands_queued=config.commands_queued,
            channels=config.channels,
        )
        token = config.bot_token.get_secret_value() if config.bot_token else None
        self._client = web_client(config, token, metrics)
        # Many workspaces (the OAuth install): each one's token is kept in
        # the store the composition root hands over (the bridge's database).
        self._store = installations if config.multi_workspace else None
        settings: AsyncOAuthSettings | None = None
        if config.multi_workspace:
            if installations is None:
                raise ValueError("the OAuth install needs an installation store")
            settings = oauth_settings(config, installations, public_url)
        self._bolt = build_bolt_app(
            config,
            self._bridge,
            HomeTab(self._bridge),
            client=self._client,
            command=SlashCommand(
                self._bridge,
                queue,
                clock,
                backlog=config.commands_at_once + config.commands_queued,
            ),
            installation_store=self._store,
            oauth_settings=settings,
        )
        self._handler = AsyncSlackRequestHandler(self._bolt)
        secret = config.signing_secret.get_secret_value() if config.signing_secret else None
        self._gate = SlackGate(secret, response_origins=config.response_origins) if secret else None
        self._messenger = (
            SlackMessenger(self._sends_to, renderer, unserved=UNSERVED)
            if self._store is None
            else SlackMessenger(self._client_for, renderer)
        )
        # One bot token: its team (auth.test's, asked once) and the other
        # teams whose sends were refused, each logged once.
        self._own_team: str | None = None
        self._refused_teams: set[str] = set()
        self._socket: AsyncSocketModeHandler | None = None
        self._connecting: Reconnecting | None = None

    async def _client_for(self, team_id: str) -> AsyncWebClient | None:
        if not self._config.allows(team_id):
            return None
        if self._store is None:
            return self._client
        bot = await self._store.async_find_bot(enterprise_id=None, team_id=team_id)
        if bot is None or not bot.bot_token:
            return None
        return self._http.attach(web_client(self._config, bot.bot_token, self._metrics))

    async def _sends_to(self, team_id: str) -> AsyncWebClient | None:
        """The messenger's client, one bot token: its own team's chats only.
        Commands need no check here: a request naming another team is
        refused before it is accepted (``OnlyOwnTeam``)."""
        client = await self._client_for(team_id)  # the allowlist first
        return client if client is not None and await self._serves(team_id) else None

    async def _serves(self, team_id: str) -> bool:
        """One bot token serves its own team alone (``OnlyOwnTeam``).
        Chats stored from other teams before it did still have reminders and
        live cards: those are refused here, and so fail for good (the row is
        kept as ``failed``, with ``UNSERVED`` for its reason)."""
        if self._own_team is None:
            self._own_team = await self._token_team()
        if team_id == self._own_team:
            return True
        if team_id not in self._refused_teams:
            self._refused_teams.add(team_id)
            log.warning(
                "Slack workspace %s is not the bot token's (%s): its chats' reminders and "
                "live cards are marked failed, not sent",
                team_id,
                self._own_team,
            )
        return False

    async def _token_team(self) -> str:
        try:
            answer = await self._client.auth_test()
        except SlackApiError as exc:
            code = str(exc.response.get("error") or "slack_error")
            raise DeliveryError(f"auth.test: {code}", permanent=code in PERMANENT) from None
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise DeliveryError(f"slack unreachable: {type(exc).__name__}") from None
        return str(answer.get("team_id") or "")

    def worker(self) -> SlackWork:
        """The work of the accepted commands, for a process of its own
        (``meetbridge work``), sharing this component's clients and caches."""
        return SlackWork(self)

    async def open_clients(self) -> None:
        self._http.open()
        self._http.attach(self._client)

    async def close_clients(self) -> None:
        await self._http.close()
        self._client.session = None

    def command_worker(self) -> CommandWorker:
        return CommandWorker(
            self._bridge,
            self._queue,
            self._client_for,
            self._clock,
            at_once=self._config.commands_at_once,
            lease=self._config.commands_lease,
        )

    @property
    def routes(self) -> Sequence[BaseRoute]:
        if self._config.signing_secret is None:
            return []  # Socket Mode only: no request could be verified over HTTP
        routes = [Route("/slack/events", self._events, methods=["POST"])]
        if self._store is not None:
            routes += [
                Route(INSTALL_PATH, self._events, methods=["GET"]),
                Route(REDIRECT_PATH, self._events, methods=["GET"]),
            ]
        return routes

    async def _events(self, request: Request) -> Response:
        if request.method != "POST" or self._gate is None:
            return await self._handler.handle(request)  # the OAuth install pages
        body = await request.body()  # capped by the service (MAX_REQUEST_BYTES)
        checked = self._gate.check(body, request.headers)
        if isinstance(checked, Response):
            return checked
        try:
            bolt_request = _checked_bolt_request(request, body.decode("utf-8"), checked)
        except (AttributeError, TypeError, KeyError, IndexError):
            # bolt's context reads fields no listener does (authorizations[0],
            # item.channel, ...): the gate cannot name each one bolt may read.
            return unreadable()
        if not _ids_are_text(bolt_request.context):
            return unreadable()
        return to_starlette_response(await self._bolt.async_dispatch(bolt_request))

    async def check_ready(self) -> CheckResult:
        """One workspace: ``auth.test`` accepts the bot token. Many workspaces
        (OAuth installs): there is no token of the bridge's own to test, and one
        workspace's revoked token must not take the service out; ``api.test``
        proves Slack's Web API answers, and each workspace's token is checked
        when it is used (revoked ones are removed). In Socket Mode, the
        connection must be up too."""
        if self._connecting is not None and not self._connecting.connected:
            return failed(f"Socket Mode not connected: {self._connecting.problem or 'connecting'}")
        try:
            if self._store is not None:
                await self._client.api_test()
                return passed("multi-workspace: api.test answered (tokens checked per workspace)")
            answer = await self._client.auth_test()
        except SlackApiError as exc:
            error = exc.response.get("error") if exc.response is not None else None
            return failed(f"Slack refused: {error or 'no reason given'}")
        return passed(f"auth.test accepts the bot token (team {answer.get('team_id')})")

    async def start(self) -> None:
        await self.open_clients()
        self.register_messenger()
        if self._config.app_token is not None:
            self._socket = AsyncSocketModeHandler(
                self._bolt,
                self._config.app_token.get_secret_value(),
                logger=OneLineLogger(logging.getLogger("slack_sdk.socket_mode"), {}),  # type: ignore[arg-type]
            )
            # In the background: an unreachable Slack keeps neither the
            # service nor a stop signal waiting.
            self._connecting = Reconnecting("slack socket mode", self._connect, self._problem)
            self._connecting.start()

    @property
    def connected(self) -> bool:
        """Socket Mode is connected (over HTTP there is no connection to keep)."""
        return self._connecting is None or self._connecting.connected

    async def _connect(self) -> None:
        assert self._socket is not None
        client = self._socket.client
        if client.wss_uri is None:
            # apps.connections.open answers whether Slack is reachable and takes
            # the app token; the connection then uses the address it gave.
            client.wss_uri = await client.issue_new_wss_url()
        await self._socket.connect_async()  # type: ignore[no-untyped-call]
        log.info("Slack Socket Mode connected")

    def _problem(self, exc: Exception) -> str:
        if isinstance(exc, SlackApiError):
            error = exc.response.get("error") if exc.response is not None else None
            return f"Slack refused SLACK_APP_TOKEN ({error or 'no reason given'}): check it"
        first = str(exc).strip().splitlines()
        reason = f"{type(exc).__name__}: {first[0]}" if first else type(exc).__name__
        return f"cannot reach Slack at {self._config.api_url} (SLACK_API_URL): {reason}"

    async def stop(self) -> None:
        """No new events (Socket Mode closes; HTTP has stopped accepting), then
        the presses and forms being worked on are finished and answered, and
        those still waiting for their turn are told nothing was done; the
        service bounds how long that may take. Accepted commands are the
        worker's: they wait in the database for it."""
        try:
            if self._connecting is not None:
                await self._connecting.stop()
            if self._socket is not None:
                await self._socket.close_async()  # type: ignore[no-untyped-call]
            # Presses still waiting for their turn are not started: their
            # people hear that nothing was done, and the stop waits only for
            # the ones being worked on.
            self._bridge.work.stop_starting()
            if self._bridge.inflight.count:
                log.info("finishing %d Slack request(s) in flight", self._bridge.inflight.count)
            await self._bridge.inflight.idle()
        finally:
            self.unregister_messenger()
            await self.close_clients()

    def register_messenger(self) -> None:
        self._messengers.register(self._messenger)

    def unregister_messenger(self) -> None:
        self._messengers.unregister("slack")


class SlackWork:
    """``meetbridge work``'s Slack part: the accepted commands' worker, with
    the component's clients open and its messenger registered (a command's
    work may post to other chats: a moved meeting's card)."""

    name = "slack-work"
    routes: Sequence[BaseRoute] = ()

    def __init__(self, component: SlackComponent) -> None:
        self._component = component
        self._worker = component.command_worker()

    def wake(self) -> None:
        self._worker.wake()

    async def start(self) -> None:
        await self._component.open_clients()
        self._component.register_messenger()
        await self._worker.start()

    async def stop(self) -> None:
        try:
            await self._worker.stop()
        finally:
            self._component.unregister_messenger()
            await self._component.close_clients()


def _ids_are_text(context: AsyncBoltContext) -> bool:
    """The ids bolt authorizes a request by, as it read them (a press's
    view.app_installed_team_id before its team, team.id before team_id): each
    text or absent. A list or object there was a 500 in the team checks, and
    would be looked up as an installation."""
    ids = (context.team_id, context.enterprise_id, context.user_id)
    return all(value is None or isinstance(value, str) for value in ids)


def _checked_bolt_request(request: Request, raw: str, checked: dict[str, Any]) -> AsyncBoltRequest:
    """bolt's request for a body the gate has read and let through: with the
    gate's reading (bolt takes a command whose text says "payload" for an
    interaction and reads it as nothing), parsed once, not twice, on the
    acknowledgements' path. bolt takes a body already read only in Socket
    Mode, so the request is built as one and then made an HTTP request again,
    with the text its own signature check reads."""
    bolt_request = AsyncBoltRequest(
        body=checked,
        query=request.query_params,  # type: ignore[arg-type]
        headers=request.headers,  # type: ignore[arg-type]
        mode="socket_mode",
    )
    bolt_request.raw_body = raw
    bolt_request.mode = "http"
    return bolt_request
