"""Each Telegram update is processed under a request id of its own, so the
command line, the backend calls and the replies it causes share it in the log."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from telegram.ext import SimpleUpdateProcessor

from bot.tracing import request_scope


class TracingUpdateProcessor(SimpleUpdateProcessor):
    """PTB's concurrent update processor, with the update's work in a request scope."""

    __slots__ = ()

    async def do_process_update(self, _update: object, coroutine: Awaitable[Any]) -> None:
        with request_scope():
            await coroutine
