"""Group commit (``storage.batching``): at a trickle every request has its own
write at once; in a burst the requests that arrive while every write is busy
go together in the next one; a failed write reaches each of its requests,
and a write cancelled midway leaves none of them waiting."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from storage.batching import Batcher

pytestmark = pytest.mark.timeout(10)


class Store:
    """A write that waits until the test lets it finish (``gate``)."""

    def __init__(self) -> None:
        self.writes: list[list[int]] = []
        self.gate = asyncio.Event()
        self.gate.set()
        self.fail: Exception | None = None

    async def write(self, items: Sequence[int]) -> list[int]:
        self.writes.append(list(items))
        await self.gate.wait()
        if self.fail is not None:
            raise self.fail
        return [item * 10 for item in items]


async def held_burst(
    store: Store, *, at_once: int, most: int, count: int
) -> tuple[Batcher[int, int], list[asyncio.Task[int]]]:
    """``count`` requests submitted together while the store holds its writes;
    returns once they are in line and the first write has begun."""
    store.gate.clear()
    batcher = Batcher(store.write, at_once=at_once, most=most)
    submitted = [asyncio.create_task(batcher.submit(n)) for n in range(count)]
    await asyncio.sleep(0)  # the tasks queue up, the first write begins
    return batcher, submitted


@pytest.mark.parametrize("at_once", [1, 2])
async def test_a_trickle_writes_each_request_at_once(at_once: int) -> None:
    # With one write at a time too: the next request, sent as soon as the
    # last is answered, finds that write over, not waiting for it forever.
    store = Store()
    batcher = Batcher(store.write, at_once=at_once, most=100)
    assert [await batcher.submit(n) for n in range(3)] == [0, 10, 20]
    assert store.writes == [[0], [1], [2]]


async def test_a_burst_waits_for_one_write_not_for_a_line_of_them() -> None:
    store = Store()
    _, submitted = await held_burst(store, at_once=2, most=4, count=11)
    store.gate.set()
    assert await asyncio.gather(*submitted) == [n * 10 for n in range(11)]
    # One write took the line as it stood, at most 4 at a time, in order.
    assert store.writes == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10]]


async def test_a_failed_write_reaches_each_of_its_requests_and_the_next_is_written() -> None:
    store = Store()
    store.fail = ConnectionError("database gone")
    batcher, first = await held_burst(store, at_once=1, most=2, count=2)
    store.gate.set()
    for task in first:
        with pytest.raises(ConnectionError, match="database gone"):
            await task
    store.fail = None
    assert await batcher.submit(7) == 70


async def test_a_write_cancelled_midway_leaves_none_waiting() -> None:
    _, submitted = await held_burst(Store(), at_once=1, most=10, count=3)
    await asyncio.sleep(0)  # the write is under way, waiting on the gate
    for task in asyncio.all_tasks():
        if task.get_coro().__qualname__ == "Batcher._drain":  # type: ignore[union-attr]
            task.cancel()
    done, pending = await asyncio.wait(submitted, timeout=5)
    assert not pending
    assert all(task.cancelled() for task in done)


async def test_a_request_given_up_does_not_spoil_the_others() -> None:
    store = Store()
    _, submitted = await held_burst(store, at_once=1, most=10, count=3)
    submitted[1].cancel()  # its HTTP request went away
    store.gate.set()
    assert await submitted[0] == 0
    assert await submitted[2] == 20
    assert submitted[1].cancelled()
