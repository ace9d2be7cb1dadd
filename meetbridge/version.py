"""Which meetbridge this is: the installed package's version, and the commit
it was built from when the build said so (``MEETBRIDGE_COMMIT``, set by the
container image; ``unknown`` otherwise)."""

from __future__ import annotations

import os
from importlib.metadata import PackageNotFoundError, version
from typing import NamedTuple


class Build(NamedTuple):
    version: str
    commit: str

    def __str__(self) -> str:
        return f"meetbridge {self.version} (commit {self.commit})"


def build() -> Build:
    try:
        number = version("meetbridge")
    except PackageNotFoundError:  # run from a checkout that was never installed
        number = "0+unknown"
    return Build(number, os.environ.get("MEETBRIDGE_COMMIT", "").strip() or "unknown")
