"""Whether the tests run under CI, where nothing may be skipped for a missing tool."""

from __future__ import annotations

import os


def under_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
