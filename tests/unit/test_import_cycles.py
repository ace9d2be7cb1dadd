"""Modules that others import first must import on their own: an import cycle
shows only when the wrong module of it is the first one loaded."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.timeout(60)


@pytest.mark.parametrize(
    "module", ["bot.settings", "bot.grammar.offsets", "bot.grammar", "meetbridge.compose"]
)
def test_module_imports_first(module: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", f"import {module}"],
        capture_output=True,
        text=True,
        timeout=50,
        check=False,
    )
    assert result.returncode == 0, result.stderr
