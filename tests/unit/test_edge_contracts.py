"""Where edges may be named, checked on the source: the import contracts
allow no exception for the messengers' storage rule, no adapter builds a
database engine of its own, and the composition root lists the edges in
``meetbridge/edges.py`` alone."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EDGE_PACKAGES = ("adapters.slack", "adapters.telegram", "adapters.trueconf", "adapters.callaba")
ENGINE_BUILDERS = {"build_engine", "create_async_engine", "create_engine"}


def contracts() -> list[dict[str, object]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    found: list[dict[str, object]] = config["tool"]["importlinter"]["contracts"]
    return found


def _parsed(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def imports_of(path: Path) -> set[str]:
    tree = _parsed(path)
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def names_called(path: Path) -> set[str]:
    tree = _parsed(path)
    called: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name):
                called.add(func.id)
            elif isinstance(func, ast.Attribute):
                called.add(func.attr)
    return called


def test_the_messengers_storage_contract_has_no_exception() -> None:
    [rule] = [c for c in contracts() if c["name"] == "Messengers do not import storage"]
    assert rule["type"] == "forbidden"
    assert "ignore_imports" not in rule
    assert rule["forbidden_modules"] == ["storage"]
    assert not [c["name"] for c in contracts() if c.get("ignore_imports")]


@pytest.mark.parametrize(
    "path", sorted((ROOT / "adapters").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT))
)
def test_no_adapter_builds_a_database_engine(path: Path) -> None:
    assert not {name for name in imports_of(path) if name.split(".")[0] == "storage"}
    assert not names_called(path) & ENGINE_BUILDERS


def test_the_composition_root_names_the_edges_in_one_place() -> None:
    naming = {
        str(path.relative_to(ROOT))
        for path in (ROOT / "meetbridge").glob("*.py")
        if any(name.startswith(EDGE_PACKAGES) for name in imports_of(path))
    }
    assert naming == {"meetbridge/edges.py"}
