"""The sandbox's HTTP and WebSocket routes, as the library reaches them:
``/api/v4/server`` (version and domain), the chat-bot token endpoint, the
file upload, and ``/websocket/chat_bot``. Hostile input gets a 4xx."""

from __future__ import annotations

import asyncio
import contextlib
import json
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from adapters.http.limits import BodyLimit
from adapters.trueconf_chat.sandbox.hub import CLOSE, Connection, Hub
from adapters.trueconf_chat.sandbox.methods import serve
from adapters.trueconf_chat.sandbox.state import (
    DOMAIN,
    MAX_FILE,
    SERVER_VERSION,
    SandboxError,
)

GRANT_PATH = "/bridge/api/client/v1/oauth/token"
FILES_PATH = "/bridge/api/client/v1/files"
SOCKET_PATH = "/websocket/chat_bot"
# The largest body any route reads (a file and its multipart framing); the
# token endpoint and the upload are unauthenticated, so past it a body is
# refused with 413 before it is read.
MAX_BODY = MAX_FILE + 65536


def _refusal(status: int, error: str, description: str) -> JSONResponse:
    return JSONResponse({"error": error, "error_description": description}, status_code=status)


def _hub(request: Request | WebSocket) -> Hub:
    hub: Hub = request.app.state.hub
    return hub


async def server_info(_request: Request) -> Response:
    return JSONResponse({"product": {"version": SERVER_VERSION, "display_name": DOMAIN}})


async def grant(request: Request) -> Response:
    """The bot's token for its login and password (``client_id=chat_bot``)."""
    try:
        body = json.loads(await request.body())
    except (ValueError, RecursionError):  # not JSON, or nested past the decoder's depth
        return _refusal(400, "invalid_request", "the body is not JSON")
    if not isinstance(body, dict) or body.get("grant_type") != "password":
        return _refusal(400, "unsupported_grant_type", "grant_type must be password")
    if body.get("client_id") != "chat_bot":
        return _refusal(400, "invalid_client", "client_id must be chat_bot")
    login, password = body.get("username"), body.get("password")
    if not isinstance(login, str) or not isinstance(password, str):
        return _refusal(400, "invalid_request", "username and password are required")
    state = _hub(request).state
    issued = state.issue_token(login, password)
    if issued is None:
        return _refusal(401, "invalid_grant", "Invalid username or password")
    return JSONResponse(
        {"access_token": issued, "token_type": "JWT", "expires_in": int(state.token_lifetime)}
    )


async def files(request: Request) -> Response:
    task = request.headers.get("upload-task-id", "")
    body = await request.body()
    part = _file_part(request.headers.get("content-type", ""), body)
    content = part.get_payload(decode=True) if part is not None else None
    if part is None or not isinstance(content, bytes):
        return JSONResponse({"error": "a multipart body with a file part"}, status_code=400)
    try:
        temporal = _hub(request).state.upload(
            task, part.get_filename() or "file", part.get_content_type(), content
        )
    except SandboxError as refusal:
        return JSONResponse({"error": refusal.detail}, status_code=404)
    return JSONResponse({"temporalFileId": temporal})


async def _send(websocket: WebSocket, connection: Connection) -> None:
    while True:
        item = await connection.outbox.get()
        if item is CLOSE:
            await websocket.close(1012)  # "service restart"
            return
        await websocket.send_text(json.dumps(item))


async def _receive(websocket: WebSocket, hub: Hub, connection: Connection) -> None:
    while True:
        try:
            frame = json.loads(await websocket.receive_text())
        except (ValueError, RecursionError):
            frame = None
        was_authorized = connection.login is not None
        response = serve(hub, connection, frame)
        if response is not None:
            connection.put(response)
        if not was_authorized and connection.login is not None:
            hub.authorized(connection)


async def socket(websocket: WebSocket) -> None:
    hub = _hub(websocket)
    await websocket.accept()
    connection = hub.open(asyncio.get_running_loop())
    tasks = {
        asyncio.create_task(_send(websocket, connection)),
        asyncio.create_task(_receive(websocket, hub, connection)),
    }
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        hub.close(connection)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect, Exception):
                await task


def build_app(hub: Hub) -> Starlette:
    app = Starlette(
        routes=[
            Route("/api/v4/server", server_info),
            Route(GRANT_PATH, grant, methods=["POST"]),
            Route(FILES_PATH, files, methods=["POST"]),
            WebSocketRoute(SOCKET_PATH, socket),
        ],
        middleware=[Middleware(BodyLimit, max_bytes=MAX_BODY)],
    )
    app.state.hub = hub
    return app


def _file_part(content_type: str, body: bytes) -> Message | None:
    if not content_type.startswith("multipart/form-data"):
        return None
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    parsed = BytesParser(policy=HTTP).parsebytes(head + body)
    if not parsed.is_multipart():
        return None
    for part in parsed.iter_parts():
        if part.get_param("name", header="content-disposition") == "file":
            return part
    return None
