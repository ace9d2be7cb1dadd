"""A fake Slack: the Web API methods the bridge calls, the response URLs of
commands and buttons, and a signer that makes requests as Slack signs them.

    with FakeSlack(users=[...]) as slack:
        env = {"SLACK_API_URL": slack.api_url, ...}
        slack.calls("chat.postMessage"), slack.responses()

It serves on a free loopback port from its own thread, so the test and the
``meetbridge serve`` process can both reach it.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from adapters.loopback import LoopbackServer
from tests.support.block_kit import message_problems, view_problems
from tests.support.serve import wait_until

TEAM = "T0TEAM"
BOT_USER = "U0BOT"

# What a token of the fake holds unless a test gives it more (files:write, im:write).
DEFAULT_SCOPES = ("commands", "chat:write", "chat:write.public", "users:read", "users:read.email")
# The scope each method needs, as Slack documents it; without it: missing_scope.
NEEDED_SCOPE = {
    "conversations.open": "im:write",
    "files.getUploadURLExternal": "files:write",
    "files.completeUploadExternal": "files:write",
}


def sign(secret: str, timestamp: str, body: str) -> str:
    """Slack's request signature: ``v0=`` + HMAC-SHA256 of ``v0:<ts>:<body>``."""
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def signed_headers(secret: str, body: str, *, timestamp: int | None = None) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    return {
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": sign(secret, ts, body),
        "Content-Type": "application/x-www-form-urlencoded",
    }


@dataclass(frozen=True)
class Call:
    method: str
    params: dict[str, Any]
    token: str
    peer: int = 0  # the caller's port: one per TCP connection


@dataclass
class Failure:
    """Answer the next ``count`` calls of ``method`` with this failure."""

    method: str
    count: int = 1
    status: int = 200
    error: str = ""
    retry_after: int | None = None


class Gate:
    """Holds calls until opened; opened from any thread (the test's)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open = False
        self._waiting: list[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = []

    async def passed(self) -> None:
        event = asyncio.Event()
        with self._lock:
            if self._open:
                return
            self._waiting.append((asyncio.get_running_loop(), event))
        await event.wait()

    def open(self) -> None:
        with self._lock:
            self._open = True
            waiting, self._waiting = self._waiting, []
        for loop, event in waiting:
            loop.call_soon_threadsafe(event.set)


@dataclass
class Upload:
    """One file of files.getUploadURLExternal: its bytes arrive at its upload URL."""

    filename: str
    length: int
    content: bytes | None = None
    completed: bool = False


@dataclass(frozen=True)
class SharedFile:
    """A file completeUploadExternal shared into a conversation."""

    channel: str
    filename: str
    title: str
    content: bytes


@dataclass
class FakeSlackState:
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    responses: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    response_peers: list[int] = field(default_factory=list)  # callers' ports, in order
    failures: list[Failure] = field(default_factory=list)
    oauth_codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    socket_url: str = ""  # what apps.connections.open hands out
    # When set, a call with any other token gets invalid_auth, as from Slack.
    valid_tokens: set[str] | None = None
    # Messages and views refused for breaking Block Kit's rules: (where, problems).
    refused: list[tuple[str, list[str]]] = field(default_factory=list)
    # Calls of these methods are recorded, then answered only once the gate opens.
    gates: dict[str, Gate] = field(default_factory=dict)
    # The bot token's scopes (auth.test's x-oauth-scopes header).
    scopes: set[str] = field(default_factory=lambda: set(DEFAULT_SCOPES))
    base_url: str = ""  # where the upload URLs point
    uploads: dict[str, Upload] = field(default_factory=dict)
    shared: list[SharedFile] = field(default_factory=list)
    # The DMs conversations.open opened: channel id → the user's id.
    dms: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    ts: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    # Messages the bot posted, by (channel, ts): chat.update changes only these.
    messages: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    # The channels the bot is a member of; None: every one. Elsewhere
    # chat.postMessage answers not_in_channel, as Slack does without
    # chat:write.public.
    bot_channels: set[str] | None = None


def slack_user(
    user_id: str,
    name: str,
    *,
    email: str | None = None,
    tz: str = "UTC",
    locale: str = "en-US",
    is_admin: bool = False,
) -> dict[str, Any]:
    profile: dict[str, Any] = {"display_name": name, "real_name": name.title()}
    if email is not None:
        profile["email"] = email
    return {
        "id": user_id,
        "team_id": TEAM,
        "name": name,
        "tz": tz,
        "locale": locale,
        "is_admin": is_admin,
        "is_owner": False,
        "profile": profile,
    }


async def _params(request: Request) -> dict[str, Any]:
    raw = (await request.body()).decode()
    if request.headers.get("content-type", "").startswith("application/json"):
        parsed: dict[str, Any] = json.loads(raw or "{}")
        return parsed
    params: dict[str, Any] = dict(parse_qsl(raw, keep_blank_values=True))
    params.update(request.query_params)
    for key in ("blocks", "view", "files"):
        if isinstance(params.get(key), str):
            params[key] = json.loads(params[key])
    return params


MESSAGE_METHODS = frozenset(
    {"chat.postMessage", "chat.postEphemeral", "chat.update", "chat.scheduleMessage"}
)
VIEW_METHODS = frozenset({"views.open", "views.publish", "views.update", "views.push"})


def refusal(method: str, params: dict[str, Any]) -> dict[str, Any] | None:
    """Slack's answer to blocks that break its rules, or None when they keep them."""
    if method in MESSAGE_METHODS:
        problems, error = message_problems(params), "invalid_blocks"
    elif method in VIEW_METHODS:
        problems, error = view_problems(params.get("view")), "invalid_arguments"
    else:
        return None
    if not problems:
        return None
    return {"ok": False, "error": error, "response_metadata": {"messages": problems}}


def _complete_upload(state: FakeSlackState, params: dict[str, Any]) -> dict[str, Any]:
    """files.completeUploadExternal: only files whose bytes arrived, once each,
    shared only into a conversation that exists (here: a DM the bot opened)."""
    files = params.get("files")
    if not isinstance(files, list) or not files:
        return {"ok": False, "error": "invalid_arguments"}
    found = [state.uploads.get(str(f.get("id"))) for f in files if isinstance(f, dict)]
    if len(found) != len(files) or any(u is None or u.content is None for u in found):
        return {"ok": False, "error": "file_not_found"}
    if any(u is not None and u.completed for u in found):
        return {"ok": False, "error": "file_already_completed"}
    channel = str(params.get("channel_id") or "")
    if params.get("channels") or (channel and channel not in state.dms):
        return {"ok": False, "error": "channel_not_found"}
    answer = []
    for entry, upload in zip(files, found, strict=True):
        if upload is None or upload.content is None:
            continue  # checked above; this keeps the types narrow
        upload.completed = True
        title = str(entry.get("title") or upload.filename)
        if channel:
            state.shared.append(SharedFile(channel, upload.filename, title, upload.content))
        answer.append({"id": entry["id"], "name": upload.filename, "title": title})
    return {"ok": True, "files": answer}


def _answer(state: FakeSlackState, method: str, params: dict[str, Any]) -> dict[str, Any]:
    refused = refusal(method, params)
    if refused is not None:
        state.refused.append((method, refused["response_metadata"]["messages"]))
        return refused
    needed = NEEDED_SCOPE.get(method)
    if needed is not None and needed not in state.scopes:
        provided = ",".join(sorted(state.scopes))
        return {"ok": False, "error": "missing_scope", "needed": needed, "provided": provided}
    match method:
        case "auth.test":
            return {"ok": True, "team_id": TEAM, "user_id": BOT_USER, "bot_id": "B0BOT"}
        case "users.info":
            user = state.users.get(str(params.get("user")))
            return {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}
        case "chat.postMessage":
            channel = str(params.get("channel") or "")
            if state.bot_channels is not None and channel not in state.bot_channels:
                return {"ok": False, "error": "not_in_channel"}
            ts = f"{next(state.ts)}.0001"
            state.messages[channel, ts] = dict(params)
            return {"ok": True, "channel": channel, "ts": ts}
        case "chat.postEphemeral":
            return {"ok": True, "channel": params.get("channel"), "ts": f"{next(state.ts)}.0001"}
        case "chat.update":
            # Only a message the bot posted, still there, in that channel.
            key = (str(params.get("channel") or ""), str(params.get("ts") or ""))
            if key not in state.messages:
                return {"ok": False, "error": "message_not_found"}
            state.messages[key] = {**state.messages[key], **params}
            return {"ok": True, "channel": key[0], "ts": key[1], "text": params.get("text")}
        case "views.open" | "views.publish" | "views.update":
            return {"ok": True, "view": {"id": f"V{next(state.ts)}"}}
        case "conversations.open":
            person = str(params.get("users") or "")
            if person not in state.users:
                return {"ok": False, "error": "user_not_found"}
            state.dms[f"D{person}"] = person
            return {"ok": True, "channel": {"id": f"D{person}"}}
        case "files.getUploadURLExternal":
            name, length = str(params.get("filename") or ""), str(params.get("length") or "")
            if not name or not length.isdigit() or int(length) <= 0:
                return {"ok": False, "error": "invalid_arguments"}
            file_id = f"F{next(state.ts)}"
            state.uploads[file_id] = Upload(name, int(length))
            return {
                "ok": True,
                "file_id": file_id,
                "upload_url": f"{state.base_url}/upload/{file_id}",
            }
        case "files.completeUploadExternal":
            return _complete_upload(state, params)
        case "apps.connections.open":
            return {"ok": True, "url": state.socket_url}
        case "oauth.v2.access":
            found = state.oauth_codes.get(str(params.get("code")))
            return found or {"ok": False, "error": "invalid_code"}
        case _:
            return {"ok": True}


class FakeSlack(LoopbackServer):
    """Slack's Web API, response URLs and file uploads, served on loopback."""

    def __init__(
        self, users: list[dict[str, Any]] | None = None, scopes: tuple[str, ...] = DEFAULT_SCOPES
    ) -> None:
        self.state = FakeSlackState(users={u["id"]: u for u in users or []}, scopes=set(scopes))
        super().__init__(self._app, name="fake Slack")

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    def response_url(self, name: str) -> str:
        return f"{self.base_url}/response/{name}"

    # ---- what the bridge did -------------------------------------------

    def calls(self, method: str) -> list[Call]:
        with self.state.lock:
            return [c for c in self.state.calls if c.method == method]

    def responses(self, name: str | None = None) -> list[dict[str, Any]]:
        with self.state.lock:
            return [body for n, body in self.state.responses if name is None or n == name]

    def shared_files(self) -> list[SharedFile]:
        """Files an upload completed into a conversation, in order."""
        with self.state.lock:
            return list(self.state.shared)

    def refused(self) -> list[tuple[str, list[str]]]:
        """What the fake refused as Slack would (``invalid_blocks``), with why."""
        with self.state.lock:
            return list(self.state.refused)

    def delete_message(self, channel: str, ts: str) -> None:
        """Someone deleted the bot's message: chat.update finds it no more."""
        with self.state.lock:
            self.state.messages.pop((channel, ts), None)

    def hold(self, method: str) -> Gate:
        """Answer calls of ``method`` (each recorded as it arrives, as Slack
        would have taken it) only once the returned gate is opened."""
        gate = Gate()
        with self.state.lock:
            self.state.gates[method] = gate
        return gate

    def fail(self, failure: Failure) -> None:
        with self.state.lock:
            self.state.failures.append(failure)

    def wait_for_responses(
        self, name: str, count: int, timeout: float = 15
    ) -> list[dict[str, Any]]:
        wait_until(
            lambda: len(self.responses(name)) >= count,
            timeout=timeout,
            what=f"{count} post(s) to response URL {name}",
        )
        return self.responses(name)

    def wait_for_calls(self, method: str, count: int, timeout: float = 15) -> list[Call]:
        wait_until(
            lambda: len(self.calls(method)) >= count,
            timeout=timeout,
            what=f"{count} call(s) of {method}",
        )
        return self.calls(method)

    # ---- the server ------------------------------------------------------

    async def _api(self, request: Request) -> Response:
        method = request.path_params["method"]
        params = await _params(request)
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        token = token or str(params.get("token", ""))
        with self.state.lock:
            peer = request.client.port if request.client else 0
            self.state.calls.append(Call(method, params, token, peer))
            failure = next((f for f in self.state.failures if f.method == method), None)
            valid = self.state.valid_tokens
            if valid is not None and token not in valid and method.partition(".")[0] != "oauth":
                failure = Failure(method, error="invalid_auth")  # not from the list
            elif failure is not None:
                failure.count -= 1
                if failure.count <= 0:
                    self.state.failures.remove(failure)
            else:
                answer = _answer(self.state, method, params)
            gate = self.state.gates.get(method)
        if gate is not None:
            await gate.passed()
        if failure is not None:
            headers = {}
            if failure.retry_after is not None:
                headers["Retry-After"] = str(failure.retry_after)
            body = {"ok": False, "error": failure.error or "ratelimited"}
            return JSONResponse(body, status_code=failure.status, headers=headers)
        if method == "auth.test":
            with self.state.lock:
                scopes = ",".join(sorted(self.state.scopes))
            return JSONResponse(answer, headers={"x-oauth-scopes": scopes})
        return JSONResponse(answer)

    async def _upload(self, request: Request) -> Response:
        """An upload URL: the bytes of one file getUploadURLExternal announced."""
        content = await request.body()
        with self.state.lock:
            upload = self.state.uploads.get(request.path_params["file_id"])
            if upload is None or upload.content is not None or len(content) != upload.length:
                return Response("refused", status_code=404 if upload is None else 400)
            upload.content = content
        return Response(f"OK - {len(content)}")

    async def _response(self, request: Request) -> Response:
        body = json.loads(await request.body() or b"{}")
        problems = message_problems(body)
        if problems:
            # A response URL refuses bad blocks as chat.postMessage does.
            with self.state.lock:
                self.state.refused.append((request.path_params["name"], problems))
            return JSONResponse(
                {
                    "ok": False,
                    "error": "invalid_blocks",
                    "response_metadata": {"messages": problems},
                },
                status_code=400,
            )
        with self.state.lock:
            self.state.responses.append((request.path_params["name"], body))
            self.state.response_peers.append(request.client.port if request.client else 0)
        return Response("ok")

    def _app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/api/{method}", self._api, methods=["GET", "POST"]),
                Route("/response/{name}", self._response, methods=["POST"]),
                Route("/upload/{file_id}", self._upload, methods=["POST"]),
            ]
        )

    def start(self, timeout: float = 10.0) -> None:
        super().start(timeout)
        self.state.base_url = self.base_url

    def stop(self, timeout: float = 10.0) -> None:
        with self.state.lock:
            gates = list(self.state.gates.values())
        for gate in gates:
            gate.open()  # nothing left waiting on the way out
        super().stop(timeout)
