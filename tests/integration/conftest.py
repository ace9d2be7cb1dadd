"""Fixtures of the integration tests; the databases and ``clock`` come from
tests/databases.py."""

from __future__ import annotations

import pytest

from tests.support.sleeps import SleepRecorder


@pytest.fixture
def sleeps() -> SleepRecorder:
    """What a client would have slept, recorded instead of waited."""
    return SleepRecorder()
