"""Fixtures of the end-to-end tests; the databases come from tests/databases.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from adapters.trueconf.sandbox import SandboxServer


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    """The TrueConf sandbox on Moscow time, shared by a module's tests (a module
    that needs its own defines ``sandbox`` itself)."""
    with SandboxServer(server_zone="Europe/Moscow") as server:
        yield server
