"""A connection lease has one holder at a time; it is taken over once it runs
out, never before, and handed on at once on release."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.trueconf_chat.lease import ConnectionLeases

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LEASE = timedelta(seconds=10)


async def test_one_holder_at_a_time_and_a_takeover_once_it_runs_out(engine: AsyncEngine) -> None:
    leases = ConnectionLeases(engine)
    assert await leases.hold("bot", "a", T0, T0 + LEASE)
    assert not await leases.hold("bot", "b", T0, T0 + LEASE)
    later = T0 + timedelta(seconds=5)
    assert await leases.hold("bot", "a", later, later + LEASE)  # a renews
    assert not await leases.hold("bot", "b", T0 + timedelta(seconds=14), T0 + timedelta(seconds=24))
    gone = T0 + timedelta(seconds=15)  # a stopped renewing: its lease ran out
    assert await leases.hold("bot", "b", gone, gone + LEASE)
    assert not await leases.hold("bot", "a", gone, gone + LEASE)
    assert await leases.hold("other", "a", gone, gone + LEASE)  # another name, its own lease


async def test_a_release_hands_the_lease_on_at_once(engine: AsyncEngine) -> None:
    leases = ConnectionLeases(engine)
    assert await leases.hold("bot", "a", T0, T0 + LEASE)
    await leases.release("bot", "b", T0)  # not b's to release
    assert not await leases.hold("bot", "b", T0, T0 + LEASE)
    await leases.release("bot", "a", T0)
    assert await leases.hold("bot", "b", T0, T0 + LEASE)
