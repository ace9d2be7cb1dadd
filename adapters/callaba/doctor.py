"""``doctor``'s Callaba line: the server answers and takes the token."""

from __future__ import annotations

from contextlib import AsyncExitStack

from adapters.callaba.settings import CallabaSettings
from adapters.callaba.setup import build_callaba
from adapters.findings import Finding
from bot.clock import Clock
from bot.errors import BridgeError
from bot.settings import Settings


async def check_callaba(settings: CallabaSettings, core: Settings, clock: Clock) -> list[Finding]:
    async with AsyncExitStack() as stack:
        try:
            backend, endpoint = await build_callaba(settings, clock, stack)
        except BridgeError as exc:
            return [Finding("callaba settings", False, str(exc))]
        where = "built-in sandbox" if endpoint.is_sandbox else endpoint.url
        try:
            await backend.check_credentials()
        except BridgeError as exc:
            return [Finding("callaba", False, f"{where}: {exc}")]
        return [Finding("callaba", True, f"{where}: reachable, token accepted")]
