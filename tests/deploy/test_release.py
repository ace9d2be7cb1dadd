"""What an admin pins: the licence, the packaging metadata, and
requirements.lock in step with pyproject.toml (offline: the lock is read,
nothing is resolved), so two image builds of one commit install the same files."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from tests.deploy.tools import REPO

LOCK = REPO / "requirements.lock"
PIN = re.compile(
    r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>\S+)(?:\s*;\s*(?P<marker>[^\\]+?))?\s*\\?$"
)
# Libraries whose security releases must never be held back by an upper bound.
SECURITY_LIBRARIES = {"cryptography"}


@pytest.fixture(scope="module")
def project() -> dict[str, Any]:
    with (REPO / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)


def pins() -> dict[str, list[tuple[Version, int]]]:
    """Each locked name: its versions (one per marker) and how many hashes each has."""
    found: dict[str, list[tuple[Version, int]]] = {}
    current: list[tuple[Version, int]] | None = None
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if match := PIN.match(stripped):
            current = found.setdefault(canonicalize_name(match["name"]), [])
            current.append((Version(match["version"]), 0))
        elif stripped.startswith("--hash=sha256:") and current:
            version, hashes = current[-1]
            current[-1] = (version, hashes + 1)
    return found


def test_the_licence_is_the_apache_text_and_ships_in_the_wheel(project: dict[str, Any]) -> None:
    text = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in text
    assert "Version 2.0, January 2004" in text
    assert "END OF TERMS AND CONDITIONS" in text
    assert project["project"]["license"] == "Apache-2.0"
    assert project["project"]["license-files"] == ["LICENSE"]


def test_the_build_backend_can_build_the_spdx_licence(project: dict[str, Any]) -> None:
    [setuptools] = [
        Requirement(r) for r in project["build-system"]["requires"] if r.startswith("setuptools")
    ]
    # The SPDX `license` string and `license-files` need setuptools 77.
    assert Version("76.9") not in setuptools.specifier
    assert Version("77.0") in setuptools.specifier


def test_the_dev_environment_has_the_build_backend(project: dict[str, Any]) -> None:
    """`pip wheel --no-build-isolation .` builds with what `make setup` installed."""
    dev = {
        Requirement(r).name: Requirement(r)
        for r in project["project"]["optional-dependencies"]["dev"]
    }
    for raw in project["build-system"]["requires"]:
        needed = Requirement(raw)
        assert needed.name in dev, f"{raw} (the build backend) is not in the dev extra"
        assert dev[needed.name].specifier == needed.specifier


def test_a_wheel_builds_without_build_isolation_with_its_licence(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(REPO / name, source / name)
    for package in ("bot", "adapters", "storage", "meetbridge"):
        shutil.copytree(
            REPO / package, source / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-build-isolation",
            "--no-deps",
            "--no-index",
            "-q",
            "-w",
            str(tmp_path / "dist"),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    [wheel] = (tmp_path / "dist").glob("meetbridge-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        [metadata] = [n for n in names if n.endswith(".dist-info/METADATA")]
        lines = archive.read(metadata).decode().splitlines()
    assert "License-Expression: Apache-2.0" in lines
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert any(n.startswith("storage/migrations/versions/") for n in names)


def test_the_project_names_its_home_and_is_classified(project: dict[str, Any]) -> None:
    meta = project["project"]
    assert {"Homepage", "Changelog"} <= set(meta["urls"])
    assert any(c.startswith("Programming Language :: Python :: 3.11") for c in meta["classifiers"])


def test_security_libraries_have_no_upper_bound(project: dict[str, Any]) -> None:
    for raw in project["project"]["dependencies"]:
        requirement = Requirement(raw)
        if canonicalize_name(requirement.name) in SECURITY_LIBRARIES:
            operators = {spec.operator for spec in requirement.specifier}
            assert not operators & {"<", "<=", "==", "~=", "==="}, raw


def test_the_lock_pins_every_dependency_within_its_range_with_hashes(
    project: dict[str, Any],
) -> None:
    locked = pins()
    assert locked, "requirements.lock pins nothing"
    for raw in project["project"]["dependencies"]:
        requirement = Requirement(raw)
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{requirement.name} is not in requirements.lock: run `make lock`"
        for version, _ in locked[name]:
            assert version in requirement.specifier, (
                f"requirements.lock has {requirement.name}=={version}, outside {raw!r}: "
                "run `make lock`"
            )
    unhashed = [name for name, versions in locked.items() if any(h == 0 for _, h in versions)]
    assert not unhashed, f"pinned without a hash: {unhashed}"


def test_the_lock_says_how_it_is_made_and_the_image_installs_from_it() -> None:
    assert "make lock" in LOCK.read_text(encoding="utf-8").splitlines()[1]
    dockerfile = (REPO / "deploy" / "Dockerfile").read_text(encoding="utf-8")
    assert "--require-hashes -r requirements.lock" in dockerfile
    assert "pip install --no-deps ." in dockerfile  # nothing resolved past the lock


def test_version_is_printed_and_python_m_runs_the_cli() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "meetbridge", "--version"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"meetbridge \S+ \(commit \S+\)\n", result.stdout), result.stdout
