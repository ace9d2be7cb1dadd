"""The sandbox's HTTP face: a Starlette app routing on the raw (still encoded) path.

Routing on ``raw_path`` keeps ``%2F`` inside one segment, so ids with ``/``,
``@``, ``#`` or spaces arrive intact, as on a real server.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from adapters.trueconf.sandbox.controls import LoggedRequest
from adapters.trueconf.sandbox.errors import ApiError, invalid
from adapters.trueconf.sandbox.state import SandboxState
from adapters.trueconf.sandbox.tokens import OAuthError

_VERSION = re.compile(r"^v(\d+)\.(\d+)$")
# The API versions the reference documents (v3.1 to v3.10): a real server
# answers any other with 404, so a wrong TRUECONF_API_VERSION fails here too.
KNOWN_VERSIONS = frozenset((3, minor) for minor in range(1, 11))
_PATH_START = 2  # /api/<version>/<path...>
MAX_PAGE_SIZE = 1000


@dataclass(frozen=True, slots=True)
class Call:
    """What a route handler needs from one API request."""

    args: tuple[str, ...]
    params: dict[str, str]
    body: Any
    version: str
    version_tuple: tuple[int, int]
    host: str  # host[:port] for links
    hostname: str  # bare host for ids such as user@host


Handler = Callable[[SandboxState, Call], Any]


def _page(params: dict[str, str]) -> tuple[int, int]:
    try:
        page_id = int(params.get("page_id", "1"))
        page_size = int(params.get("page_size", "200"))
    except ValueError as exc:
        raise invalid("page_id", "page_id and page_size must be integers.") from exc
    if page_id < 1:
        raise invalid("page_id", "page_id starts at 1.")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise invalid("page_size", f"page_size must be 1..{MAX_PAGE_SIZE}.")
    return page_id, page_size


_USER_FILTERS = ("login_name", "display_name", "first_name", "last_name", "email")

ROUTES: list[tuple[str, tuple[str, ...], Handler]] = [
    (
        "GET",
        ("conferences",),
        lambda s, c: s.list_conferences(*_page(c.params), c.host, c.hostname),
    ),
    ("POST", ("conferences",), lambda s, c: s.create_conference(c.body, c.host, c.hostname)),
    ("GET", ("conferences", "{id}"), lambda s, c: s.get_conference(c.args[0], c.host, c.hostname)),
    (
        "PUT",
        ("conferences", "{id}"),
        lambda s, c: s.edit_conference(c.args[0], c.body, c.host, c.hostname, c.version_tuple),
    ),
    ("DELETE", ("conferences", "{id}"), lambda s, c: s.delete_conference(c.args[0])),
    ("POST", ("conferences", "{id}", "run"), lambda s, c: s.run_conference(c.args[0])),
    ("POST", ("conferences", "{id}", "stop"), lambda s, c: s.stop_conference(c.args[0])),
    (
        "POST",
        ("conferences", "{id}", "invite"),
        lambda s, c: s.invite(c.args[0], c.body, c.version_tuple),
    ),
    (
        "POST",
        ("conferences", "{id}", "participants"),
        lambda s, c: s.invite_participant(c.args[0], c.body, c.hostname),
    ),
    (
        "GET",
        ("conferences", "{id}", "participants"),
        lambda s, c: s.list_participants(c.args[0], c.hostname),
    ),
    (
        "GET",
        ("conferences", "{id}", "records"),
        lambda s, c: s.list_records(c.args[0], c.host, c.version),
    ),
    (
        "GET",
        ("conference-sessions", "{id}"),
        lambda s, c: s.get_session(c.args[0], c.hostname),
    ),
    (
        "GET",
        ("conference-sessions", "{id}", "participants"),
        lambda s, c: s.session_participants(c.args[0], c.hostname),
    ),
    (
        "GET",
        ("logs", "calls"),
        lambda s, c: s.call_logs(c.params, *_page(c.params), c.hostname),
    ),
    (
        "GET",
        ("logs", "calls", "{id}", "participants"),
        lambda s, c: s.call_participants(c.args[0], *_page(c.params), c.hostname),
    ),
    (
        "GET",
        ("conferences", "{id}", "invitations"),
        lambda s, c: s.list_invitations(c.args[0], c.hostname),
    ),
    (
        "POST",
        ("conferences", "{id}", "invitations"),
        lambda s, c: s.add_invitation(c.args[0], c.body, c.hostname),
    ),
    (
        "DELETE",
        ("conferences", "{id}", "invitations", "{login}"),
        lambda s, c: s.delete_invitation(c.args[0], c.args[1]),
    ),
    (
        "GET",
        ("conferences", "{id}", "calendars"),
        lambda s, c: s.calendars(c.args[0], c.host, c.version),
    ),
    ("GET", ("conferences", "{id}", "ics"), lambda s, c: s.ics(c.args[0], c.host, c.hostname)),
    (
        "GET",
        ("users",),
        lambda s, c: s.list_users(
            *_page(c.params),
            {k: v for k, v in c.params.items() if k in _USER_FILTERS},
            c.hostname,
        ),
    ),
    ("GET", ("users", "{id}"), lambda s, c: s.get_user(c.args[0], c.hostname)),
    ("GET", ("software", "clients"), lambda s, c: s.software_clients(c.params, c.host, c.hostname)),
]


def _match(
    method: str, segments: tuple[str, ...]
) -> tuple[Handler | None, tuple[str, ...], str, bool]:
    """The handler, its path arguments, the route label, and whether the path exists."""
    path_exists = False
    for route_method, pattern, handler in ROUTES:
        if len(pattern) != len(segments):
            continue
        if any(p != s and not p.startswith("{") for p, s in zip(pattern, segments, strict=True)):
            continue
        path_exists = True
        if route_method == method:
            args = tuple(s for p, s in zip(pattern, segments, strict=True) if p.startswith("{"))
            return handler, args, f"{method} /{'/'.join(pattern)}", True
    return None, (), f"{method} ?", path_exists


def _error(error: ApiError) -> JSONResponse:
    return JSONResponse(error.body(), status_code=error.status)


class SandboxApp:
    """Builds the Starlette application over one ``SandboxState``."""

    def __init__(self, state: SandboxState) -> None:
        self.state = state

    def build(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/oauth2/v1/token", self.token, methods=["POST"]),
                Route("/api/v4/server", self.server_info),
                Route("/{rest:path}", self.api, methods=["GET", "POST", "PUT", "DELETE"]),
            ]
        )

    async def server_info(self, _request: Request) -> Response:
        """The server names itself (unauthenticated, as on a real server): the
        chat-bot sandbox, named the same, counts as this server's chat."""
        name = self.state.server_name
        return JSONResponse({"product": {"version": "5.5.6", "display_name": name}})

    def _log(self, request: Request, segments: tuple[str, ...], endpoint: str, status: int) -> None:
        raw_path = request.scope.get("raw_path", b"").decode("latin-1") or request.url.path
        header = request.headers.get("authorization", "")
        self.state.record(
            LoggedRequest(
                method=request.method,
                path="/" + "/".join(segments),
                raw_path=raw_path.split("?", 1)[0],
                query=request.url.query,
                segments=segments,
                endpoint=endpoint,
                at=self.state.clock.now(),
                status=status,
                authorization=header.split(" ", 1)[0] if header else "",
            )
        )

    async def _delay(self) -> None:
        if self.state.latency > 0:
            await asyncio.sleep(self.state.latency)

    def _injected(self, method: str, endpoint: str) -> Response | None:
        failure = self.state.take_failure(method, endpoint)
        if failure is None:
            return None
        if failure.raw is not None:
            return Response(failure.raw, status_code=failure.status, media_type="text/html")
        if failure.body is not None:
            return JSONResponse(failure.body, status_code=failure.status)
        return _error(ApiError(failure.status, failure.reason, failure.message))

    async def token(self, request: Request) -> Response:
        await self._delay()
        endpoint = "POST /oauth2/v1/token"
        segments = ("oauth2", "v1", "token")
        response = self._injected("POST", endpoint)
        if response is None:
            raw = await request.body()
            if request.headers.get("content-type", "").startswith("application/json"):
                try:
                    form = json.loads(raw or b"{}")
                except (ValueError, RecursionError):  # not JSON, or nested too deep
                    form = {}
            else:
                form = dict(parse_qsl(raw.decode("utf-8", "replace")))
            try:
                response = JSONResponse(
                    self.state.issue_token(form if isinstance(form, dict) else {})
                )
            except OAuthError as exc:
                response = JSONResponse(exc.body, status_code=exc.status)
        self._log(request, segments, endpoint, response.status_code)
        return response

    async def api(self, request: Request) -> Response:
        await self._delay()
        raw_path = request.scope.get("raw_path", b"").decode("latin-1").split("?", 1)[0]
        segments = tuple(unquote(s) for s in raw_path.strip("/").split("/"))
        response, endpoint = await self._dispatch(request, segments)
        self._log(request, segments, endpoint, response.status_code)
        return response

    async def _dispatch(self, request: Request, segments: tuple[str, ...]) -> tuple[Response, str]:
        method = request.method
        version_match = _VERSION.match(segments[1]) if len(segments) > 1 else None
        version = (int(version_match[1]), int(version_match[2])) if version_match else None
        if len(segments) <= _PATH_START or segments[0] != "api" or version not in KNOWN_VERSIONS:
            return _error(ApiError(404, "notFound", "Not Found")), f"{method} ?"
        assert version is not None
        handler, args, endpoint, path_exists = _match(method, segments[_PATH_START:])
        if handler is None:
            status, reason = (405, "methodNotAllowed") if path_exists else (404, "notFound")
            return _error(ApiError(status, reason, "No such API method.")), endpoint
        injected = self._injected(method, endpoint)
        if injected is not None:
            return injected, endpoint
        try:
            self.state.check_token(self._token(request))
            body = await self._body(request)
            call = Call(
                args=args,
                params=dict(request.query_params),
                body=body,
                version=segments[1],
                version_tuple=version,
                host=request.url.netloc,
                hostname=request.url.hostname or "localhost",
            )
            result = handler(self.state, call)
        except ApiError as exc:
            return _error(exc), endpoint
        if isinstance(result, bytes):
            return Response(result, media_type="text/calendar; charset=utf-8"), endpoint
        return JSONResponse(result), endpoint

    @staticmethod
    def _token(request: Request) -> str | None:
        header = request.headers.get("authorization", "")
        scheme, _, value = header.partition(" ")
        if scheme.lower() == "bearer" and value:
            return value.strip()
        return request.query_params.get("access_token")

    @staticmethod
    async def _body(request: Request) -> Any:
        if request.method not in ("POST", "PUT"):
            return None
        raw = await request.body()
        if not raw:
            return {}
        try:
            return json.loads(raw)
        except (ValueError, RecursionError) as exc:  # not JSON, or nested too deep
            raise invalid("body", "The request body is not valid JSON.") from exc


def build_app(state: SandboxState) -> Starlette:
    return SandboxApp(state).build()
