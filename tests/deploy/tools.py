"""What the deployment tests share: the repository's paths and the validators.

A validator that is missing skips its test with a message naming it, except
under CI, where `.ci/run` installs the Debian tools and the dev extra brings
the Python ones, so a missing one is a failure. When `.ci/run` could not
install a tool (no apt), it names it in MEETBRIDGE_UNAVAILABLE_TOOLS and the
test skips there too; every such file is still checked by a Python-level test.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from meetbridge.config import Config, fields, load_config
from tests.support.ci import under_ci

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"


def require_tool(name: str, *, what: str, install: str) -> str:
    """The path of the command-line tool ``name``; skip (locally) or fail (CI) without it.

    ``what`` says what goes unchecked, ``install`` how to get the tool."""
    found = shutil.which(name)
    if found is not None:
        return found
    message = f"{name} is not installed, so {what} is not checked here ({install})"
    excused = name in os.environ.get("MEETBRIDGE_UNAVAILABLE_TOOLS", "").split()
    if under_ci() and not excused:
        pytest.fail(f"{message}; CI must run every validator (.ci/run installs it)")
    pytest.skip(message)


def require_module(name: str) -> Any:
    """Import the Python validator ``name`` (from the dev extra); skip or fail without it."""
    try:
        return __import__(name)
    except ImportError:
        message = f"{name} is not installed: run `make setup` (it is in the dev extra)"
        if under_ci():
            pytest.fail(message)
        pytest.skip(message)


def field_names() -> set[str]:
    """Every setting's environment name: the core's and every edge's."""
    return set(fields())


def secret_names() -> set[str]:
    """The settings that hold a secret."""
    return {
        name
        for name, field in fields().items()
        if field.annotation is not None and SecretStr in getattr(field.annotation, "__args__", ())
    }


def settings_from(
    values: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Config:
    """Settings from exactly these values: no shell variables, no stray .env."""
    for name in field_names():
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    env_file = tmp_path / "values.env"
    env_file.write_text("".join(f"{key}={value}\n" for key, value in values.items()))
    return load_config(env_file=env_file)
