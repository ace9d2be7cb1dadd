"""The signed OAuth state: accepted once issued, refused when forged or expired."""

from __future__ import annotations

import pytest

from adapters.slack.oauth_state import LIFETIME_SECONDS, SignedStateStore

pytestmark = pytest.mark.timeout(10)


class FakeTime:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


async def test_issued_state_is_accepted_until_it_expires() -> None:
    clock = FakeTime()
    store = SignedStateStore(b"secret", now=clock)
    state = await store.async_issue()
    assert await store.async_consume(state)
    clock.now += LIFETIME_SECONDS + 1
    assert not await store.async_consume(state)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda s: s[:-1] + ("0" if s[-1] != "0" else "1"),
        lambda s: str(int(s.split(".")[0]) + 10_000) + s[s.index(".") :],
        lambda s: "",
        lambda s: "not-a-state",
        lambda s: s.split(".", 1)[1],
    ],
)
async def test_tampered_states_are_refused(tamper: object) -> None:
    store = SignedStateStore(b"secret", now=FakeTime())
    state = await store.async_issue()
    assert callable(tamper)
    assert not await store.async_consume(tamper(state))


async def test_a_state_from_another_secret_is_refused() -> None:
    clock = FakeTime()
    state = await SignedStateStore(b"one", now=clock).async_issue()
    assert not await SignedStateStore(b"two", now=clock).async_consume(state)
