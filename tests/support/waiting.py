"""Waiting on a condition from async code, with a deadline instead of a sleep."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable


async def until(condition: Callable[[], bool], *, within: float, what: str) -> None:
    """Check ``condition`` every 20 ms until it holds; fail after ``within`` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not condition():
        if loop.time() > deadline:
            raise TimeoutError(f"timed out after {within}s waiting for {what}")
        await asyncio.sleep(0.02)


async def until_async(
    condition: Callable[[], Awaitable[bool]], *, within: float, what: str
) -> None:
    """``until`` for a condition that must await (a database read)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not await condition():
        if loop.time() > deadline:
            raise TimeoutError(f"timed out after {within}s waiting for {what}")
        await asyncio.sleep(0.02)
