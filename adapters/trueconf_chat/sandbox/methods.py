"""The chat-bot API methods the bridge calls, as the sandbox answers them.

Each takes the connection's account and the request's payload and returns the
response's payload, or raises ``SandboxError`` (``{"errorCode": …}``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from adapters.trueconf_chat.sandbox.hub import Connection, Hub
from adapters.trueconf_chat.sandbox.state import SandboxError
from adapters.trueconf_chat.sandbox.wire import envelope, message_content

# What a chat in the list shows of its newest message.
LAST_MESSAGE_FIELDS = ("messageId", "timestamp", "author", "type", "content", "chat")

Method = Callable[[Hub, Connection, dict[str, Any]], Any]


def _login(connection: Connection) -> str:
    if connection.login is None:
        raise SandboxError(200, "authorize first")
    return connection.login


def auth(hub: Hub, connection: Connection, payload: dict[str, Any]) -> dict[str, Any]:
    if payload.get("tokenType") != "JWT":
        raise SandboxError(204, "tokenType must be JWT")
    connection.login = hub.state.token_login(payload.get("token"))
    connection.wants_unread = payload.get("receiveUnread") is True
    user_id = hub.state.user_id(connection.login)
    return {"userId": f"{user_id}/{connection.id}", "connectionId": connection.id}


def send_message(hub: Hub, connection: Connection, payload: dict[str, Any]) -> dict[str, Any]:
    login = _login(connection)
    text, mode, buttons = message_content(payload.get("content"))
    reply_to = payload.get("replyMessageId")
    if reply_to is not None:
        hub.state.message(reply_to)
    message = hub.state.post(
        payload.get("chatId"),  # type: ignore[arg-type]  # checked by post
        login,
        text,
        parse_mode=mode,
        buttons=buttons,
        reply_to=reply_to,
        connection=connection.id,
    )
    return {"chatId": message.chat_id, "messageId": message.id, "timestamp": message.timestamp}


def edit_message(hub: Hub, connection: Connection, payload: dict[str, Any]) -> dict[str, Any]:
    login = _login(connection)
    text, mode, buttons = message_content(payload.get("content"))
    message = hub.state.edit(
        payload.get("messageId"), login, text, mode, buttons, connection=connection.id
    )
    return {"messageId": message.id, "timestamp": message.timestamp}


def create_p2p_chat(hub: Hub, connection: Connection, payload: dict[str, Any]) -> dict[str, Any]:
    login = _login(connection)
    user_id = payload.get("userId")
    other = hub.state.login_of(user_id) if isinstance(user_id, str) else None
    if other is None or other == login:
        raise SandboxError(304, "no such user")
    return {"chatId": hub.state.personal(login, other)}


def get_chat_participants(
    hub: Hub, connection: Connection, payload: dict[str, Any]
) -> dict[str, Any]:
    chat = hub.state.chat(payload.get("chatId"), _login(connection))
    return {
        "participants": [
            {
                "userId": hub.state.user_id(member),
                "role": "admin" if member in chat.admins else "user",
            }
            for member in chat.members
        ]
    }


def get_chats(hub: Hub, connection: Connection, payload: dict[str, Any]) -> list[dict[str, Any]]:
    login = _login(connection)
    count, page = payload.get("count", 10), payload.get("page", 1)
    if not isinstance(count, int) or not isinstance(page, int) or count < 1 or page < 1:
        raise SandboxError(399, "count and page are positive integers")
    mine = [c for c in hub.state.chats.values() if login in c.members]
    listed = []
    for chat in mine[(page - 1) * count : page * count]:
        entry: dict[str, Any] = {
            "title": chat.title,
            "chatId": chat.id,
            "chatType": chat.type,
            "unreadMessages": 0,
        }
        messages = hub.state.messages(chat.id)
        if messages:
            last = envelope(hub.state, messages[-1])
            entry["lastMessage"] = {key: last[key] for key in LAST_MESSAGE_FIELDS}
        listed.append(entry)
    return listed


def get_chat_history(hub: Hub, connection: Connection, payload: dict[str, Any]) -> dict[str, Any]:
    chat = hub.state.chat(payload.get("chatId"), _login(connection))
    count = payload.get("count")
    if not isinstance(count, int) or not 1 <= count <= 100:
        raise SandboxError(399, "count is 1 to 100")
    messages = hub.state.messages(chat.id)
    start = payload.get("fromMessageId")
    if start is not None:
        ids = [m.id for m in messages]
        if start not in ids:
            raise SandboxError(306, "no such message")
        messages = messages[: ids.index(start)]
    # GUESS: newest first, as a chat list shows them.
    page = list(reversed(messages))[:count]
    return {
        "count": len(page),
        "chatId": chat.id,
        "messages": [envelope(hub.state, m) for m in page],
    }


def get_message_by_id(hub: Hub, connection: Connection, payload: dict[str, Any]) -> Any:
    login = _login(connection)
    message = hub.state.message(payload.get("messageId"))
    hub.state.chat(message.chat_id, login)
    return envelope(hub.state, message)


def upload_file(hub: Hub, connection: Connection, payload: dict[str, Any]) -> dict[str, Any]:
    _login(connection)
    task = hub.state.upload_task(payload.get("fileName"), payload.get("fileSize"))
    return {"uploadTaskId": task}


def send_file(hub: Hub, connection: Connection, payload: dict[str, Any]) -> dict[str, Any]:
    login = _login(connection)
    content = payload.get("content")
    if not isinstance(content, dict):
        raise SandboxError(399, "content must be an object")
    hub.state.chat(payload.get("chatId"), login)
    stored = hub.state.take_upload(content.get("temporalFileId"))
    message = hub.state.post(payload["chatId"], login, file=stored, connection=connection.id)
    return {
        "timestamp": message.timestamp,
        "chatId": message.chat_id,
        "messageId": message.id,
        "fileId": stored.id,
    }


METHODS: dict[str, Method] = {
    "auth": auth,
    "sendMessage": send_message,
    "editMessage": edit_message,
    "createP2PChat": create_p2p_chat,
    "getChatParticipants": get_chat_participants,
    "getChats": get_chats,
    "getChatHistory": get_chat_history,
    "getMessageById": get_message_by_id,
    "uploadFile": upload_file,
    "sendFile": send_file,
}


def serve(hub: Hub, connection: Connection, request: Any) -> dict[str, Any] | None:
    """The response to one frame from the bot; ``None`` for its acknowledgements."""
    if not isinstance(request, dict) or request.get("type") not in (1, 2):
        return {"type": 2, "id": 0, "payload": {"errorCode": 399}}
    if request["type"] == 2:
        return None  # the bot acknowledges a push
    request_id = request.get("id")
    method = METHODS.get(request.get("method"))  # type: ignore[arg-type]
    payload = request.get("payload")
    try:
        if method is None:
            raise SandboxError(104, f"no method {request.get('method')!r}")
        if not isinstance(payload, dict):
            raise SandboxError(399, "payload must be an object")
        hub.state.calls.append(str(request["method"]))
        result: Any = method(hub, connection, payload)
    except SandboxError as refusal:
        result = {"errorCode": refusal.code}
    return {"type": 2, "id": request_id, "payload": result}
