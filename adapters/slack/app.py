"""The bolt app: verification, workspaces, and which listener serves what."""

from __future__ import annotations

import logging
import re
from abc import abstractmethod
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

import aiohttp
from slack_bolt import BoltResponse
from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.request.async_request import AsyncBoltRequest

from adapters.slack.actions import ACTION_PATTERN, ButtonAction
from adapters.slack.bridge import SlackBridge
from adapters.slack.commands import SlashCommand
from adapters.slack.config import SlackConfig
from adapters.slack.home import HomeTab
from adapters.slack.modal import CALLBACK_ID, ModalSubmission

log = logging.getLogger(__name__)

COMMAND = "/meet"
NOT_ALLOWED = "This workspace may not use this bridge. Ask its administrator."
# What a request meets when Slack's Web API cannot be reached (bolt checks the
# token with auth.test before the first listener runs): not the bridge's fault
# nor the request's, so a 503 asks Slack to try again later.
SLACK_UNREACHABLE = (aiohttp.ClientError, TimeoutError)
RETRY_AFTER_SECONDS = 10


def _payload_teams(body: dict[str, Any]) -> list[str]:
    """The teams a payload names at its top: ``team_id`` (commands, events)
    and ``team`` or ``team.id`` (interactions). The listeners read one or the
    other by the request's kind, so both are the request's."""
    teams: list[str] = []
    for field in (body.get("team_id"), body.get("team")):
        team = field.get("id") if isinstance(field, dict) else field
        if team and str(team) not in teams:
            teams.append(str(team))
    return teams


def _teams_named(body: dict[str, Any], context: AsyncBoltContext) -> list[str | None]:
    """The teams a request names: its payload's ``team_id`` and ``team`` (one
    ``None`` when it has neither), and the team bolt authorizes it with when
    that is another: ``context.team_id`` is slack_bolt's own
    ``extract_team_id`` (a form's ``view.app_installed_team_id`` before its
    ``team``), the very value the installation is looked up by."""
    named: list[str | None] = [*_payload_teams(body)] or [None]
    authorized = context.team_id
    return named if authorized is None or authorized in named else [*named, authorized]


def _refusal(body: dict[str, Any]) -> BoltResponse:
    """The answer to a request from a workspace the bridge does not serve."""
    if body.get("type") in ("event_callback", "url_verification"):
        return BoltResponse(status=200, body="")
    return BoltResponse(status=200, body=NOT_ALLOWED)


class _TeamCheck(AsyncMiddleware):
    """A check of the teams a request names: served, it goes on; otherwise it
    gets the answer for a workspace the bridge does not serve, and a line in
    the log saying whose it was (``refused``).

    A middleware class, not a function: bolt calls a function middleware
    with its arguments worked out from its signature, on every
    acknowledgement."""

    refused = "a workspace the bridge does not serve"

    @abstractmethod
    def serves(self, req: AsyncBoltRequest) -> bool: ...

    async def async_process(
        self,
        *,
        req: AsyncBoltRequest,
        resp: BoltResponse,  # noqa: ARG002 (bolt passes it by name)
        next: Callable[[], Awaitable[BoltResponse]],
    ) -> BoltResponse | None:
        if self.serves(req):
            return await next()
        log.warning("ignored a request from %s", self.refused)
        return _refusal(req.body)


class OnlyAllowedWorkspaces(_TeamCheck):
    """Workspaces outside ``SLACK_WORKSPACE_ALLOWLIST`` get a short answer and
    nothing else: it runs before authorization, so no installation is looked
    up. Every team the request names must be allowed: bolt picks the
    installation by its own reading of the team, which for a form is the
    workspace the app is installed in, not the form's ``team``."""

    refused = "a workspace outside the allowlist"

    def __init__(self, config: SlackConfig) -> None:
        self._config = config

    def serves(self, req: AsyncBoltRequest) -> bool:
        # Slack's check of the Request URL names no team, and bolt answers it
        # with the challenge alone: refused, events could not be turned on.
        return req.body.get("type") == "url_verification" or all(
            self._config.allows(team) for team in _teams_named(req.body, req.context)
        )


def _allowlist_if_set(config: SlackConfig) -> AsyncMiddleware | None:
    """The allowlist's middleware, or none when every workspace is allowed: a
    middleware that passes everything still costs a call per acknowledgement."""
    return OnlyAllowedWorkspaces(config) if config.allowlist else None


class OnlyOwnTeam(_TeamCheck):
    """One workspace by its bot token: the token's own team is the only one
    served. A Slack app's signing secret is the same in every workspace it is
    installed in, so a signed request may name another; it gets the answer
    the allowlist gives. Runs after authorization: the token's team is
    auth.test's, which bolt asked once and keeps. A request naming no team
    passes, as it passes the allowlist."""

    refused = "a workspace other than the bot token's"

    def serves(self, req: AsyncBoltRequest) -> bool:
        authorized = req.context.authorize_result
        own = authorized.team_id if authorized is not None else None
        named = {team for team in _teams_named(req.body, req.context) if team is not None}
        return not named or (own is not None and named == {own})


class _NotTheEnvironmentsToken(logging.Filter):
    """Drops bolt's "As you gave `client` as well, `token` will be unused."."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


@contextmanager
def _handed_a_client() -> Iterator[None]:
    """For the constructor's run alone: bolt reads SLACK_BOT_TOKEN from the
    environment whatever it is handed (``token or os.environ[...]``: no
    argument stops it), and, handed a client as well, warns at each start
    that the token will be unused. The client carries that same token (the
    settings read the same variable), so the warning is noise. The
    constructor does not await: nothing else of this loop logs meanwhile, and
    the filter drops that one message alone."""
    logger = logging.getLogger(f"slack_bolt.{AsyncApp.__name__}")
    quiet = _NotTheEnvironmentsToken()
    logger.addFilter(quiet)
    try:
        yield
    finally:
        logger.removeFilter(quiet)


def build_bolt_app(
    config: SlackConfig,
    bridge: SlackBridge,
    home: HomeTab,
    *,
    client: Any,
    command: SlashCommand,
    installation_store: Any = None,
    oauth_settings: AsyncOAuthSettings | None = None,
) -> AsyncApp:
    secret = config.signing_secret.get_secret_value() if config.signing_secret else None
    if config.multi_workspace:
        app = AsyncApp(
            signing_secret=secret,
            request_verification_enabled=secret is not None,
            client=client,
            installation_store=installation_store,
            oauth_settings=oauth_settings,
            before_authorize=_allowlist_if_set(config),
            process_before_response=True,
        )
        # app_uninstalled and tokens_revoked remove the workspace's tokens.
        app.enable_token_revocation_listeners()
    else:
        with _handed_a_client():
            app = AsyncApp(
                signing_secret=secret,
                request_verification_enabled=secret is not None,
                client=client,
                before_authorize=_allowlist_if_set(config),
                process_before_response=True,
            )
        # Global middleware runs after bolt's own, authorization included.
        app.middleware(OnlyOwnTeam())
    # bolt answers the request when a listener returns (process_before_response):
    # not when its runner, looking every 10 ms, notices the ``ack``. So every
    # listener acknowledges and returns at once: a command once it is in the
    # accepted-commands queue (a worker process does it), other work handed to
    # the work pool or to a task of ``bridge.inflight``, which a stop waits for.
    app.error(answer_error)
    tracked = bridge.inflight.wrap
    app.command(COMMAND)(tracked(command))
    app.action(ACTION_PATTERN)(tracked(ButtonAction(bridge)))
    app.action("meet_new")(tracked(home.new_meeting))
    app.action(ACTION_LINK_PATTERN)(_ack_only)
    app.view(CALLBACK_ID)(tracked(ModalSubmission(bridge)))
    app.event("app_home_opened")(tracked(home.opened))
    return app


async def answer_error(error: Exception) -> BoltResponse | None:
    """bolt's error handler: Slack out of reach is a 503 and one line in the
    log; anything else keeps bolt's 500 and is logged with its traceback, as
    bolt would."""
    if isinstance(error, SLACK_UNREACHABLE) and _raised_in_web_client(error):
        log.warning(
            "cannot reach Slack's Web API (%s: %s): answered a request 503",
            type(error).__name__,
            error,
        )
        return BoltResponse(status=503, body="", headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
    log.error("a Slack request failed", exc_info=error)
    return None


def _raised_in_web_client(error: BaseException) -> bool:
    """Whether ``error`` came up through slack_sdk's Web API client: a
    ``TimeoutError`` from anywhere else (the installation store's database, in
    multi-workspace mode) is no sign of Slack out of reach, and keeps its 500
    and traceback."""
    frame = error.__traceback__
    while frame is not None:
        if str(frame.tb_frame.f_globals.get("__name__", "")).startswith("slack_sdk."):
            return True
        frame = frame.tb_next
    return False


# URL buttons (join, open in the app) need only the acknowledgement.
ACTION_LINK_PATTERN = re.compile(r"^meet_link_")


async def _ack_only(ack: Any) -> None:
    """URL buttons still send an action; Slack wants it acknowledged."""
    await ack()
