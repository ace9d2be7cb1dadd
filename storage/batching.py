"""Group commit: requests that arrive while the database is busy with the
ones before them are written together by the next statement.

``submit`` hands one item in and waits for its own result. Up to ``at_once``
writes run at a time; a request arriving when all are busy joins the line,
and the next write to start takes up to ``most`` of the line at once. At a
trickle every request starts its own write at once (no added wait); in a
burst the requests wait for one write each rather than for the line ahead of
them, and the database commits once for many rows.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


class Batcher(Generic[Item, Result]):
    def __init__(
        self,
        write: Callable[[Sequence[Item]], Awaitable[Sequence[Result]]],
        *,
        at_once: int,
        most: int,
    ) -> None:
        self._write = write  # one result per item, in order
        self._at_once = at_once
        self._most = most
        self._line: list[tuple[Item, asyncio.Future[Result]]] = []
        self._writers: set[asyncio.Task[None]] = set()  # kept from the collector
        # Writes under way: counted down by the write itself as it leaves its
        # loop, not by its task's done-callback, which runs a turn later (a
        # request sent in between would count a finished write and wait forever).
        self._writing = 0

    async def submit(self, item: Item) -> Result:
        future: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self._line.append((item, future))
        if self._writing < self._at_once:
            self._writing += 1
            writer = asyncio.get_running_loop().create_task(self._drain())
            self._writers.add(writer)
            writer.add_done_callback(self._writers.discard)
        return await future

    async def _drain(self) -> None:
        try:
            await self._write_line()
        finally:
            self._writing -= 1

    async def _write_line(self) -> None:
        while self._line:
            batch = self._line[: self._most]
            del self._line[: self._most]
            try:
                results = await self._write([item for item, _ in batch])
                for (_, future), result in zip(batch, results, strict=True):
                    if not future.done():  # its request may have been given up meanwhile
                        future.set_result(result)
            except Exception as exc:  # every request of the batch hears of it
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
            finally:  # cancelled (the service stopping): none is left waiting
                for _, future in batch:
                    future.cancel()
