"""The core depends on no edge: no messenger SDK, no HTTP client, no database
library, and neither ``adapters`` nor ``storage``."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = {
    "adapters",
    "storage",
    "meetbridge",
    "httpx",
    "httpcore",
    "requests",
    "aiohttp",
    "sqlalchemy",
    "alembic",
    "aiosqlite",
    "asyncpg",
    "psycopg",
    "slack_bolt",
    "slack_sdk",
    "telegram",
    "trueconf",
    "starlette",
    "uvicorn",
}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            roots.add(str(node.args[0].value).split(".")[0])
    return roots


CORE_FILES = sorted((ROOT / "bot").rglob("*.py"))


def test_the_core_has_modules() -> None:
    assert len(CORE_FILES) > 10


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_core_module_imports_no_edge(path: Path) -> None:
    leaks = imported_roots(path) & FORBIDDEN
    assert not leaks, f"{path.relative_to(ROOT)} imports {sorted(leaks)}"


STORAGE_FORBIDDEN = {"adapters", "meetbridge", "httpx", "slack_bolt", "slack_sdk", "telegram"}
STORAGE_FILES = sorted((ROOT / "storage").rglob("*.py"))


@pytest.mark.parametrize("path", STORAGE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_storage_module_depends_only_on_the_core(path: Path) -> None:
    leaks = imported_roots(path) & STORAGE_FORBIDDEN
    assert not leaks, f"{path.relative_to(ROOT)} imports {sorted(leaks)}"


def test_the_check_catches_a_leak(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import httpx\nfrom storage.uow import X\nfrom sqlalchemy import select\n")
    assert imported_roots(bad) & FORBIDDEN == {"httpx", "storage", "sqlalchemy"}
