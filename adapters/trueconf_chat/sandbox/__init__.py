"""An in-memory TrueConf chat-bot API for tests and the demo: the token
endpoint, the bot's WebSocket and the file upload, on loopback, speaking what
``python-trueconf-bot`` 1.5 expects. Its people are the TrueConf sandbox's."""

from adapters.trueconf_chat.sandbox.server import ChatSandboxServer
from adapters.trueconf_chat.sandbox.state import (
    BOT_LOGIN,
    DOMAIN,
    ChatSandboxState,
    SandboxError,
    StoredMessage,
)

__all__ = [
    "BOT_LOGIN",
    "DOMAIN",
    "ChatSandboxServer",
    "ChatSandboxState",
    "SandboxError",
    "StoredMessage",
]
